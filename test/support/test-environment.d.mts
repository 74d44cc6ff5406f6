export declare const TEST_NAME: RegExp;
export declare function assertTestDatabase(url: string): string;
export declare function newTestRunName(): string;
export declare const SERVER_URL: string;
