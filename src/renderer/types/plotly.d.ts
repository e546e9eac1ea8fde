declare module 'plotly.js-strict-dist-min' {
  import * as Plotly from 'plotly.js';
  export default Plotly;
}
