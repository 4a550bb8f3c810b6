/** Control characters: C0, DEL, and the Unicode line and paragraph separators. */
const CONTROL = /[\u0000-\u001f\u007f\u2028\u2029]/
const CONTROLS = new RegExp(CONTROL.source, 'g')

/** Text from requests that ends up in headers, pages and logs: control characters become spaces, trimmed. */
export function withoutControls(input: string): string {
  return input.replace(CONTROLS, ' ').trim()
}

/** Whether text holds a character that `withoutControls` would replace. */
export function hasControls(input: string): boolean {
  return CONTROL.test(input)
}
