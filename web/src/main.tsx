import { render } from 'preact'
import { App } from './App.tsx'
import './styles/base.css'
import './styles/layout.css'
import './styles/forms.css'
import './styles/tables.css'
// Last: it overrides the others on small screens.
import './styles/phone.css'

const root = document.getElementById('app')!
// The "Loading…" placeholder is plain HTML: Preact would keep it beside the app.
root.textContent = ''
render(<App />, root)
