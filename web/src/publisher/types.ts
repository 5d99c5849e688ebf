/** Publisher v4 shapes the UI reads and writes (Portico stores and returns WSO2's API DTO). */
export interface PubOperation {
  id?: string;
  target: string;
  verb: string;
  authType: string;
  throttlingPolicy: string;
  scopes: string[];
}

export interface PubApi {
  id: string;
  name: string;
  description: string;
  context: string;
  version: string;
  provider: string;
  lifeCycleStatus: string;
  transport: string[];
  policies: string[];
  securityScheme: string[];
  authorizationHeader: string;
  apiKeyHeader: string;
  visibility: string;
  accessControl: 'NONE' | 'RESTRICTED';
  accessControlRoles: string[];
  endpointConfig: {
    endpoint_type: string;
    production_endpoints?: { url: string };
    sandbox_endpoints?: { url: string };
  } | null;
  operations: PubOperation[];
  scopes: {
    scope: { name: string; displayName: string; description: string; bindings: string[] };
    shared: boolean;
  }[];
  createdTime: string;
  lastUpdatedTime: string;
}

export interface PubApiInfo {
  id: string;
  name: string;
  context: string;
  version: string;
  provider: string;
  lifeCycleStatus: string;
  description: string;
  securityScheme: string[];
}

export interface Deployment {
  revisionUuid: string;
  name: string;
  vhost: string;
  deployedTime: string;
}

export interface Revision {
  id: string;
  displayName: string;
  description: string;
  createdTime: string;
  deploymentInfo: Deployment[];
}

export interface LifecycleState {
  state: string;
  availableTransitions: { event: string; targetState: string }[];
}

export interface PubSubscription {
  subscriptionId: string;
  applicationInfo: { applicationId: string; name: string; subscriber: string };
  throttlingPolicy: string;
  subscriptionStatus: string;
}

/** The only gateway environment (WSO2's default). */
export const DEFAULT_DEPLOYMENT = [{ name: 'Default', vhost: 'localhost', displayOnDevportal: true }];
