export type { Actor, ActorType } from './actor.js';
export { SYSTEM_ACTOR } from './actor.js';
export {
  ConflictError,
  DomainError,
  ForbiddenError,
  NotFoundError,
  UnauthenticatedError,
  UnprocessableError,
  ValidationFailedError,
} from './errors.js';
export type { ErrorKind, FieldError } from './errors.js';
export {
  ApiDoneResponse,
  ApiEmptyResponse,
  ApiProblems,
  documentBodyProblems,
  documentQueryProblems,
  documentIdempotency,
  documentTransport,
} from './openapi.js';
export { PROBLEM_CONTENT_TYPE, ProblemDetails } from './problem-details.js';
export { ProblemDetailsFilter, sendProblem } from './problem-details.filter.js';
export {
  createValidationPipe,
  validateAs,
  IGNORED_FIELDS_HEADER,
  ignoredFields,
  UNKNOWN_FIELD_POLICIES,
} from './validation.js';
export type { UnknownFieldPolicy } from './validation.js';
export {
  coerceFormValues,
  formBodyToObject,
  formFieldsToObject,
  isFormBody,
  markFormBody,
  parseQueryString,
  queryStringError,
  queryStringToObject,
} from './form-body.js';
export { BodyWrapper, BodyWrapperInterceptor, unwrapBody } from './body-wrapper.js';
export { JSON_LIMITS, jsonBodyError, jsonBodyProblem, jsonTextProblem } from './json-body.js';
export {
  attributeMapProblem,
  AttributesField,
  EmailField,
  HttpUrlField,
  IsAttributeMap,
  IsText,
  JsonObjectField,
  isHttpUrl,
  LIMITS,
  MAX_JSON_OBJECT_BYTES,
  NameField,
} from './fields.js';
export { MAX_BIG_ID, MAX_ID, ParseBigIdPipe, ParseIdPipe, parseId } from './parse-id.pipe.js';
export { UnhandledExceptionsLogger } from './unhandled-exceptions.logger.js';
export {
  buildFilterSql,
  escapeLike,
  FILTER_OPERATORS,
  FilterCondition,
  FilterRequest,
  isIsoTime,
} from './filter.js';
export type {
  CustomAttributeSource,
  CustomAttributeSources,
  FilterColumn,
  FilterOperator,
} from './filter.js';
export { faultPoint } from './fault-injection.js';
export { hasLabelSql, LabelsQueryField, LabelsRequest, renamedLabelsSql } from './labels.js';
export { inBatches } from './batches.js';
export { PeriodicJob } from './periodic-job.js';
export type { PeriodicJobSettings } from './periodic-job.js';
