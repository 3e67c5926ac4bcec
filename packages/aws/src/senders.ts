/**
 * The custom email and SMS senders' building blocks, apart from the package index: the KMS
 * decryption pulls in the AWS Encryption SDK (and through it the whole DynamoDB client), which
 * would otherwise reach every trigger's bundle (about 48 KB each, on Cognito's 5 s cold path).
 */
export type { CodeDecryptor } from "./code-decrypt.ts";
export {
  CodeRefusedError,
  codeDecryptorFor,
  KmsCodeDecryptor,
  poolContextKey,
  senderKeyArn,
} from "./code-decrypt.ts";
export type {
  CodeDelivery,
  CodeMessageDependencies,
  DeliveryRecorder,
  SenderChannel,
  SentCodeMessage,
} from "./sender.ts";
export {
  accountTakeOverMessage,
  codeMessage,
  defineSender,
  loggedDeliveries,
  riskySignIn,
  sendAndRecord,
  senderLimits,
} from "./sender.ts";
