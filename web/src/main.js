// main.js - starts the console: Vue, Element Plus (zh-CN), the router and its session guard.
import { createApp } from 'vue';
import App from './App.vue';
import elements from './elements.js';
import { router } from './router.js';
import './styles.css';

createApp(App).use(elements).use(router).mount('#app');
