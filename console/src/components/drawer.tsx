import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/** A side panel over the page (a native <dialog>: focus kept inside, Escape closes it). */
export function Drawer({
  title,
  onClose,
  children,
}: {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element !== null && !element.open) element.showModal();
    return () => element?.close();
  }, []);
  return (
    <dialog ref={dialog} class="drawer" aria-labelledby="drawer-title" onClose={onClose}>
      <header>
        <h2 id="drawer-title">{title}</h2>
        <button type="button" onClick={onClose} aria-label="Close">
          ×
        </button>
      </header>
      {children}
    </dialog>
  );
}
