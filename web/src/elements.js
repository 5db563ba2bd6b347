// elements.js - the Element Plus components the console uses, registered once with the zh-CN
// locale (only these are bundled), and the icons the navigation names.
import {
  makeInstaller, ElAlert, ElButton, ElCard, ElCheckbox, ElCheckboxGroup, ElConfigProvider,
  ElContainer, ElAside, ElHeader, ElMain, ElDatePicker, ElDescriptions, ElDescriptionsItem,
  ElDialog, ElDrawer, ElEmpty, ElForm, ElFormItem, ElIcon, ElInput, ElInputNumber, ElLink,
  ElLoading, ElMenu, ElMenuItem, ElMenuItemGroup, ElMessage, ElMessageBox, ElOption,
  ElPagination, ElResult, ElSelect, ElSkeleton, ElTable, ElTableColumn, ElTabs, ElTabPane, ElTag,
  ElTooltip, ElRow, ElCol, ElDivider, ElRadioGroup, ElRadioButton, ElSpace, ElText, ElCollapse,
  ElCollapseItem, ElProgress, ElTimeline, ElTimelineItem, ElBreadcrumb, ElBreadcrumbItem, ElOptionGroup,
  ElRadio, ElSteps, ElStep, ElBadge,
} from 'element-plus';
import zhCn from 'element-plus/es/locale/lang/zh-cn';
import 'element-plus/dist/index.css';
import {
  House, User, Key, OfficeBuilding, Document, Connection, Lock, SwitchButton, Menu as MenuIcon,
  Refresh, Search, Plus, CopyDocument, View, Warning, Tickets, EditPen, Files, Stamp, Upload, Download,
  Delete, Edit, Check, Close, Paperclip, Link, Clock, Bell, Flag, ChatDotSquare, Finished, Calendar, Top, Bottom,
  Printer, Promotion, Position,
} from '@element-plus/icons-vue';

const installer = makeInstaller([
  ElAlert, ElButton, ElCard, ElCheckbox, ElCheckboxGroup, ElConfigProvider, ElContainer, ElAside,
  ElHeader, ElMain, ElDatePicker, ElDescriptions, ElDescriptionsItem, ElDialog, ElDrawer, ElEmpty,
  ElForm, ElFormItem, ElIcon, ElInput, ElInputNumber, ElLink, ElLoading, ElMenu, ElMenuItem,
  ElMenuItemGroup, ElMessage, ElMessageBox, ElOption, ElPagination, ElResult, ElSelect, ElSkeleton,
  ElTable, ElTableColumn, ElTabs, ElTabPane, ElTag, ElTooltip, ElRow, ElCol, ElDivider,
  ElRadioGroup, ElRadioButton, ElSpace, ElText, ElCollapse, ElCollapseItem, ElProgress, ElTimeline,
  ElTimelineItem, ElBreadcrumb, ElBreadcrumbItem, ElOptionGroup, ElRadio, ElSteps, ElStep, ElBadge,
]);

export const icons = {
  House, User, Key, OfficeBuilding, Document, Connection, Lock, SwitchButton, MenuIcon, Refresh,
  Search, Plus, CopyDocument, View, Warning, Tickets, EditPen, Files, Stamp, Upload, Download, Delete,
  Edit, Check, Close, Paperclip, Link, Clock, Bell, Flag, ChatDotSquare, Finished, Calendar, Top, Bottom,
  Printer, Promotion, Position,
};

export default {
  install(app) {
    app.use(installer, { locale: zhCn });
    for (const [name, c] of Object.entries(icons)) app.component(`Icon${name}`, c);
  },
};
