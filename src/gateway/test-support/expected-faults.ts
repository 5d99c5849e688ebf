/** Literal WSO2 4.x fault bodies the tests compare against (written out, not computed from the catalog). */
export const BODY = {
  invalid:
    '{"code":"900901","message":"Invalid Credentials","description":"Invalid Credentials. Make sure you have provided the correct security credentials"}',
  revokedJwt:
    '{"code":"900901","message":"Invalid Credentials","description":"Invalid JWT token. Make sure you have provided the correct security credentials"}',
  missing:
    '{"code":"900902","message":"Missing Credentials","description":"Invalid Credentials. Make sure your API invocation call has a header: \'Authorization : Bearer ACCESS_TOKEN\' or \'Authorization : Basic ACCESS_TOKEN\' or \'ApiKey : API_KEY\'"}',
  notSubscribed:
    '{"code":"900908","message":"Resource forbidden ","description":"User is NOT authorized to access the Resource. API Subscription validation failed."}',
  restricted:
    '{"code":"900908","message":"Resource forbidden ","description":"Access forbidden for the invocations"}',
  subBlocked:
    '{"code":"900907","message":"The requested API is temporarily blocked","description":"The requested API is temporarily blocked"}',
  inactive:
    '{"code":"900909","message":"The subscription to the API is inactive","description":"The subscription to the API is inactive"}',
  noResource:
    '{"code":"900906","message":"No matching resource found in the API for the given request","description":"Access failure for API: No matching resource found in the API for the given request. Check the API documentation and add a proper REST resource path to the invocation URL"}',
  noApi: '{"code":"404","message":"Not Found","description":"The requested resource is not available."}',
  lifecycleBlocked:
    '{"code":"700700","message":"API blocked","description":"This API has been blocked temporarily. Please try again later or contact the system administrators."}',
  unclassified:
    '{"code":"900900","message":"Unclassified Authentication Failure","description":"Unclassified Authentication Failure"}',
  refused:
    '{"code":"101503","message":"Error connecting to the back end","description":"Error connecting to the back end"}',
  timeout: '{"code":"101504","message":"Connection timed out","description":"Connection timed out"}',
} as const;

/** `WWW-Authenticate` of an API enabling OAuth2 and API keys. */
export const CHALLENGE =
  'OAuth2 realm="WSO2 API Manager", API Key realm="WSO2 API Manager", error="invalid_token", error_description="The provided token is invalid"';

/** Content type of every gateway fault. */
export const FAULT_CONTENT_TYPE = 'application/json; charset=UTF-8';
