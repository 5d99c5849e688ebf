import { AUTH_TYPE_APP_AND_USER } from '../core/index.js';

export const PIZZASHACK_NAME = 'PizzaShackAPI';
export const PIZZASHACK_CONTEXT = '/pizzashack';
export const PIZZASHACK_VERSION = '1.0.0';

/**
 * The Publisher API DTO of the PizzaShack sample (wso2-compat.md §9), pointing at `backendUrl` for production and
 * sandbox. Offers Gold/Silver/Bronze/Unlimited so the Developer Portal's "select a throttling policy" step has choices.
 */
export function pizzaShackApi(backendUrl: string) {
  const op = (verb: string, target: string) => ({
    target,
    verb,
    authType: AUTH_TYPE_APP_AND_USER,
    throttlingPolicy: 'Unlimited',
    scopes: [] as string[],
  });
  return {
    name: PIZZASHACK_NAME,
    description: 'This is a simple API for Pizza Shack online pizza delivery store.',
    context: PIZZASHACK_CONTEXT,
    version: PIZZASHACK_VERSION,
    transport: ['http', 'https'],
    tags: ['pizza'],
    policies: ['Unlimited', 'Gold', 'Silver', 'Bronze'],
    apiThrottlingPolicy: null,
    securityScheme: ['oauth2', 'oauth_basic_auth_api_key_mandatory'],
    apiKeyHeader: 'apikey',
    visibility: 'PUBLIC',
    endpointConfig: {
      endpoint_type: 'http',
      production_endpoints: { url: backendUrl },
      sandbox_endpoints: { url: backendUrl },
    },
    operations: [
      op('GET', '/menu'),
      op('POST', '/order'),
      op('GET', '/order/{orderId}'),
      op('PUT', '/order/{orderId}'),
      op('DELETE', '/order/{orderId}'),
    ],
    scopes: [],
    businessInformation: {
      businessOwner: 'Jane Roe',
      businessOwnerEmail: 'marketing@pizzashack.com',
      technicalOwner: 'John Doe',
      technicalOwnerEmail: 'architecture@pizzashack.com',
    },
  };
}
