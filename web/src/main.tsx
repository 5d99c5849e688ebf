import { StrictMode, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { AdminApp } from './admin/admin-app';
import { DevportalApp } from './devportal/devportal-app';
import { PublisherApp } from './publisher/publisher-app';
import { usePath } from './lib/router';
import { SessionProvider } from './lib/session';
import './styles.css';

const TITLES: Record<string, string> = {
  devportal: 'Developer Portal',
  publisher: 'Publisher',
  admin: 'Admin',
};

function App() {
  const path = usePath();
  const portal = path.split('/')[1] ?? 'devportal';
  useEffect(() => {
    document.title = `${TITLES[portal] ?? 'Portico'} · Portico`;
  }, [portal]);
  if (portal === 'publisher') return <PublisherApp />;
  if (portal === 'admin') return <AdminApp />;
  return <DevportalApp />;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <SessionProvider>
      <App />
    </SessionProvider>
  </StrictMode>,
);
