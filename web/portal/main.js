// main.js - starts the public portal (/m/): Vue, the Vant components it uses, its router and
// the palette. The console (../src) is another app of the same build; the two share only
// ../src/api.js, the one way to talk to the server.
import { createApp } from 'vue';
import App from './App.vue';
import vant from './vant.js';
import { router } from './router.js';
import './theme.css';

createApp(App).use(vant).use(router).mount('#app');
