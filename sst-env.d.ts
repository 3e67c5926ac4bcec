/* Written by hand for cognito-lifecycle; `sst dev` and `sst deploy` regenerate it. */
/* tslint:disable */
/* eslint-disable */
/* deno-fmt-ignore-file */

import "sst";
export {};
declare module "sst" {
  export interface Resource {
    AdminApi: {
      type: "sst.aws.ApiGatewayV2";
      url: string;
    };
    AdminApiHandler: {
      name: string;
      type: "sst.aws.Function";
    };
    AdminConsole: {
      type: "sst.aws.StaticSite";
      url: string;
    };
    ApiAuthorizer: {
      name: string;
      type: "sst.aws.Function";
    };
    ConsoleClient: {
      id: string;
      secret: string;
      type: "sst.aws.CognitoUserPoolClient";
    };
    CustomMessage: {
      name: string;
      type: "sst.aws.Function";
    };
    Email: {
      configSet: string;
      sender: string;
      type: "sst.aws.Email";
    };
    PostAuthentication: {
      name: string;
      type: "sst.aws.Function";
    };
    PostConfirmation: {
      name: string;
      type: "sst.aws.Function";
    };
    PreSignUp: {
      name: string;
      type: "sst.aws.Function";
    };
    PreTokenGeneration: {
      name: string;
      type: "sst.aws.Function";
    };
    Reconcile: {
      name: string;
      type: "sst.aws.Function";
    };
    UserPool: {
      id: string;
      type: "sst.aws.CognitoUserPool";
    };
    Users: {
      name: string;
      type: "sst.aws.Dynamo";
    };
    WebClient: {
      id: string;
      secret: string;
      type: "sst.aws.CognitoUserPoolClient";
    };
  }
}
