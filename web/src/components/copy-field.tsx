import { useId, useRef, useState } from 'react';
import { Button } from './button';

/** A read-only credential with Copy and, for secrets, Show/Hide (hidden by default). */
export function CopyField({ label, value, secret }: { label: string; value: string; secret?: boolean }) {
  const id = useId();
  const [shown, setShown] = useState(!secret);
  const [copied, setCopied] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(`${label} copied to the clipboard`);
    } catch {
      // No clipboard permission: select the text so the user can press Ctrl+C.
      input.current?.select();
      setCopied('Press Ctrl+C to copy the selected text');
    }
  };
  return (
    <div className="field copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="copy-row">
        <input
          ref={input}
          id={id}
          readOnly
          type={shown ? 'text' : 'password'}
          value={value}
          spellCheck={false}
          autoComplete="off"
          className="mono"
        />
        {secret ? (
          <Button
            aria-pressed={shown}
            onClick={() => setShown((s) => !s)}
            aria-label={`${shown ? 'Hide' : 'Show'} ${label}`}
          >
            {shown ? 'Hide' : 'Show'}
          </Button>
        ) : null}
        <Button onClick={copy} aria-label={`Copy ${label}`}>
          Copy
        </Button>
      </div>
      <p className="sr-live" role="status">
        {copied}
      </p>
    </div>
  );
}
