import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { getApi } from './api/get-api';
import { StoreContext } from './state/hooks';
import { Store } from './state/store';
import './styles/app.css';

const root = createRoot(document.getElementById('root')!);

function fatal(message: string): void {
  root.render(
    <div style={{ padding: 32, maxWidth: 640, fontFamily: 'system-ui' }}>
      <h2>OCPP Scope cannot start</h2>
      <p>{message}</p>
    </div>,
  );
}

try {
  const store = new Store(getApi());
  root.render(
    <StrictMode>
      <StoreContext.Provider value={store}>
        <App />
      </StoreContext.Provider>
    </StrictMode>,
  );
  void store.start();
} catch (err) {
  fatal(err instanceof Error ? err.message : String(err));
}
