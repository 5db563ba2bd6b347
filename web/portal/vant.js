// vant.js - the Vant 4 components the portal uses, imported one by one with their styles (only
// these are bundled), and registered once. Dialogs and toasts are called as functions
// (showConfirmDialog, showToast) from the pages; their styles are loaded here.
import {
  Button, Cell, CellGroup, Empty, Field, Form, Loading, NavBar, Tabbar, TabbarItem, Tag,
  NoticeBar, Icon,
} from 'vant';
import 'vant/es/button/style/index';
import 'vant/es/cell/style/index';
import 'vant/es/cell-group/style/index';
import 'vant/es/empty/style/index';
import 'vant/es/field/style/index';
import 'vant/es/form/style/index';
import 'vant/es/loading/style/index';
import 'vant/es/nav-bar/style/index';
import 'vant/es/tabbar/style/index';
import 'vant/es/tabbar-item/style/index';
import 'vant/es/tag/style/index';
import 'vant/es/notice-bar/style/index';
import 'vant/es/icon/style/index';
import 'vant/es/dialog/style/index';
import 'vant/es/toast/style/index';

const components = [Button, Cell, CellGroup, Empty, Field, Form, Loading, NavBar, Tabbar, TabbarItem, Tag, NoticeBar, Icon];

export default {
  install(app) {
    for (const c of components) app.use(c);
  },
};
