// A markdownlint rule: a line shaped like a table row (`| a | b |`) inside a paragraph is a row
// that lost its table (a merge that put text between a table and its last rows). The built-in
// rules only check tables; such a row renders as a paragraph of pipes and passes them all.

/** @type {import("markdownlint").Rule} */
export default {
  names: ['table-row-outside-table'],
  description: 'Table row outside a table',
  tags: ['table'],
  parser: 'micromark',
  function(params, onError) {
    const visit = (tokens) => {
      for (const token of tokens) {
        if (token.type === 'paragraph') {
          for (let line = token.startLine; line <= token.endLine; line++) {
            const text = params.lines[line - 1] ?? ''
            if (/^\s*\|.*\|\s*$/.test(text))
              onError({
                lineNumber: line,
                detail: 'Move it into its table, or escape the pipes',
                context: text.slice(0, 60),
              })
          }
        }
        visit(token.children)
      }
    }
    visit(params.parsers.micromark.tokens)
  },
}
