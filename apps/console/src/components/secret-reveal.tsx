import { useEffect, useRef, useState } from 'preact/hooks';

interface SecretRevealProps {
  title: string;
  secret: string;
  onDone: () => void;
}

/**
 * A key's secret, shown once (after create or rotate): the gateway stores only its hash
 * and never returns it again. Copy puts it on the clipboard; nothing else keeps it.
 */
export function SecretReveal({ title, secret, onDone }: SecretRevealProps) {
  const [copied, setCopied] = useState<'yes' | 'no' | undefined>();
  const box = useRef<HTMLElement>(null);
  const panel = useRef<HTMLElement>(null);
  useEffect(() => panel.current?.focus(), [secret]);

  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('yes');
    } catch {
      // No clipboard (an insecure origin, a denied permission): select it for Ctrl+C instead.
      const range = document.createRange();
      if (box.current) range.selectNodeContents(box.current);
      const selection = getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
      setCopied('no');
    }
  };

  return (
    <section
      ref={panel}
      class="panel secret"
      tabIndex={-1}
      aria-labelledby="secret-title"
      data-testid="key-secret-panel"
    >
      <h2 id="secret-title">{title}</h2>
      <p>
        Copy it now: this is the only time the gateway shows it. Clients send it as{' '}
        <code>Authorization: Bearer &lt;key&gt;</code>.
      </p>
      <div class="secret-row">
        <code ref={box} class="secret-value" data-testid="new-key-secret">
          {secret}
        </code>
        <button type="button" onClick={() => void copy()}>
          Copy
        </button>
      </div>
      <p role="status" class="subtle">
        {copied === 'yes' ? 'Copied to the clipboard.' : ''}
        {copied === 'no'
          ? 'The clipboard is not available here: the key is selected, press Ctrl+C.'
          : ''}
      </p>
      <button type="button" class="secondary" onClick={onDone}>
        Done, I have stored it
      </button>
    </section>
  );
}
