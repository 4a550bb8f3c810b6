import { useState } from 'preact/hooks'

/** Copies a text to the clipboard and says so; where the clipboard is refused, says that instead. */
export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle')
  async function copy() {
    try {
      await navigator.clipboard.writeText(text)
      setState('copied')
    } catch {
      setState('failed')
    }
  }
  return (
    <>
      <button type="button" class="button-secondary" onClick={() => void copy()}>
        {state === 'copied' ? 'Copied' : label}
      </button>
      <span class="visually-hidden" role="status">
        {state === 'copied'
          ? 'Copied to the clipboard.'
          : state === 'failed'
            ? 'Copying failed: select the text and copy it.'
            : ''}
      </span>
    </>
  )
}
