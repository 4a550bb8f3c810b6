/**
 * Reads a people CSV for `roster invite --csv` and `roster user import --csv`: a header row
 * with `email` and optional `name` and `role` (any order, any case), then one person a row.
 * A real CSV parser (quotes, commas inside quotes, CRLF, a UTF-8 BOM); a row with the wrong
 * number of fields or no email is reported as a bad row, not guessed at.
 */
import { parse } from 'csv-parse/sync'
import { AppError } from '../shared/app-error.ts'
import { readOptionFile } from './context.ts'

export interface CsvPerson {
  /** 1-based line of the row in the file (the header is line 1). */
  line: number
  email: string
  name?: string | undefined
  role?: string | undefined
}

export interface CsvProblem {
  line: number
  message: string
}

export function readPeopleCsv(path: string): { people: CsvPerson[]; problems: CsvProblem[] } {
  const text = readOptionFile('--csv', path)
  let records: { record: string[]; info: { lines: number } }[]
  try {
    records = parse(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as { record: string[]; info: { lines: number } }[]
  } catch (error) {
    throw new AppError(
      'INVALID_CSV',
      `cannot read ${path} as CSV: ${error instanceof Error ? error.message : String(error)}`,
    )
  }
  const [header, ...rows] = records
  const columns = header?.record.map((c) => c.toLowerCase()) ?? []
  const at = (name: string) => columns.indexOf(name)
  if (at('email') < 0)
    throw new AppError('INVALID_CSV', `${path}: the first row must be a header with an "email" column`)
  const people: CsvPerson[] = []
  const problems: CsvProblem[] = []
  for (const { record, info } of rows) {
    const line = info.lines
    if (record.length !== columns.length) {
      problems.push({ line, message: `expected ${columns.length} fields, found ${record.length}` })
      continue
    }
    const field = (name: string) => (at(name) < 0 ? undefined : record[at(name)] || undefined)
    const email = field('email')
    if (!email) {
      problems.push({ line, message: 'no email' })
      continue
    }
    people.push({ line, email, name: field('name'), role: field('role') })
  }
  return { people, problems }
}
