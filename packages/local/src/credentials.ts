/** The emulators accept any credentials; these make the SDK skip its provider chain. */
export const localCredentials = { accessKeyId: "local", secretAccessKey: "local" } as const;
export const localRegion = "us-east-1";
