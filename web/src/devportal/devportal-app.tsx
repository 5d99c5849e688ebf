import { match, usePath, useQuery } from '../lib/router';
import { useSession } from '../lib/session';
import { RequireUser, Shell } from '../components/shell';
import { SignInForm } from '../components/sign-in';
import { Alert } from '../components/alert';
import { ApiDetailsPage } from './api-details-page';
import { ApisPage } from './apis-page';
import { ApplicationFormPage } from './application-form-page';
import { ApplicationPage } from './application-page';
import { ApplicationsPage } from './applications-page';
import { SignUpPage } from './sign-up-page';

const NAV = [
  { to: '/devportal/apis', label: 'APIs' },
  { to: '/devportal/applications', label: 'Applications' },
];
const APP_SCOPES = ['apim:subscribe', 'apim:app_manage'];

/** The Developer Portal (`/devportal`). */
export function DevportalApp() {
  const path = usePath();
  const query = useQuery();
  const { user } = useSession();
  let page;
  let m: Record<string, string> | null;
  if (match('/devportal', path) || match('/devportal/apis', path)) page = <ApisPage />;
  else if ((m = match('/devportal/apis/:id/:tab?', path)))
    page = <ApiDetailsPage key={m.id} apiId={m.id!} tab={m.tab} />;
  else if (match('/devportal/sign-in', path)) {
    const next = query.get('next');
    const safe = next && next.startsWith('/devportal') ? next : '/devportal/applications';
    page = user ? (
      <Alert kind="info">You are signed in as {user.username}.</Alert>
    ) : (
      <SignInForm next={safe} signUp="/devportal/sign-up" />
    );
  } else if (match('/devportal/sign-up', path)) page = <SignUpPage />;
  else if (match('/devportal/applications', path))
    page = (
      <RequireUser scopes={APP_SCOPES}>
        <ApplicationsPage />
      </RequireUser>
    );
  else if (match('/devportal/applications/create', path))
    page = (
      <RequireUser scopes={APP_SCOPES}>
        <ApplicationFormPage />
      </RequireUser>
    );
  else if ((m = match('/devportal/applications/:id/edit', path)))
    page = (
      <RequireUser scopes={APP_SCOPES}>
        <ApplicationFormPage key={m.id} applicationId={m.id} />
      </RequireUser>
    );
  else if ((m = match('/devportal/applications/:id/:tab?', path)))
    page = (
      <RequireUser scopes={APP_SCOPES}>
        <ApplicationPage key={m.id} applicationId={m.id!} tab={m.tab} />
      </RequireUser>
    );
  else page = <Alert kind="error">There is no page at {path}.</Alert>;
  return (
    <Shell portal="/devportal" title="Developer Portal" nav={NAV}>
      {page}
    </Shell>
  );
}
