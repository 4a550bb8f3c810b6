/** Text from requests that ends up in headers, pages and logs: control characters become spaces, trimmed. */
export function withoutControls(input: string): string {
  return input.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' ').trim()
}
