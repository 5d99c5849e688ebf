import { match, usePath } from '../lib/router';
import { RequireUser, Shell } from '../components/shell';
import { Alert } from '../components/alert';
import { ApiPage } from './api-page';
import { ApisListPage } from './apis-list-page';
import { CreateApiPage } from './create-api-page';

const NAV = [{ to: '/publisher/apis', label: 'APIs' }];
const SCOPES = ['apim:api_view', 'apim:api_create', 'apim:api_publish'];

/** The Publisher (`/publisher`). */
export function PublisherApp() {
  const path = usePath();
  let page;
  let m: Record<string, string> | null;
  if (match('/publisher', path) || match('/publisher/apis', path) || match('/publisher/sign-in', path))
    page = <ApisListPage />;
  else if (match('/publisher/apis/create', path)) page = <CreateApiPage key="create" mode="create" />;
  else if (match('/publisher/apis/import', path)) page = <CreateApiPage key="import" mode="import" />;
  else if ((m = match('/publisher/apis/:id/:section?', path)))
    page = <ApiPage key={m.id} apiId={m.id!} section={m.section} />;
  else page = <Alert kind="error">There is no page at {path}.</Alert>;
  return (
    <Shell portal="/publisher" title="Publisher" nav={NAV}>
      <RequireUser scopes={SCOPES}>{page}</RequireUser>
    </Shell>
  );
}
