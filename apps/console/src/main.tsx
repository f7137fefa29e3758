import { render } from 'preact';
import { App } from './app';
import './styles/base.css';
import './styles/controls.css';
import './styles/data.css';
import './styles/pages.css';

const root = document.getElementById('app');
if (root) render(<App />, root);
