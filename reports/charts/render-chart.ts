// Draws a chart.js chart on an @napi-rs/canvas canvas on the server and returns it as PNG, for
// the PDF. The canvas uses the same DejaVu font the PDF embeds, so labels look alike everywhere.
// The canvas and chart.js are loaded on first use (loadChartLibraries), not when the module is:
// every postino command imports the reports, few draw a chart.
import type { Chart, ChartConfiguration } from 'chart.js';
import { fontPaths } from '../pdf/fonts';

interface ChartLibraries {
  createCanvas: (typeof import('@napi-rs/canvas'))['createCanvas'];
  Chart: typeof Chart;
}
let libs: ChartLibraries | null = null;

/** Loads and sets up the canvas and chart.js once; renderChart needs it done. */
export async function loadChartLibraries(): Promise<void> {
  if (libs) return;
  const [canvas, chartjs] = await Promise.all([import('@napi-rs/canvas'), import('chart.js')]);
  chartjs.Chart.register(...chartjs.registerables);
  canvas.GlobalFonts.registerFromPath(fontPaths.regular, 'DejaVu Sans');
  canvas.GlobalFonts.registerFromPath(fontPaths.bold, 'DejaVu Sans');
  chartjs.Chart.defaults.font.family = 'DejaVu Sans';
  chartjs.Chart.defaults.color = '#333';
  chartjs.Chart.defaults.font.size = 8;
  libs = { createCanvas: canvas.createCanvas, Chart: chartjs.Chart };
}

/** Paints the canvas white first: a transparent PNG prints grey on some viewers. */
const whiteBackground = {
  id: 'postino-white-background',
  beforeDraw: (chart: Chart) => {
    const c = chart.ctx;
    c.save();
    c.globalCompositeOperation = 'destination-over';
    c.fillStyle = '#ffffff';
    c.fillRect(0, 0, chart.width, chart.height);
    c.restore();
  },
};

/** Pixels per PDF point: charts are drawn at 3x their size on the page, so they print sharply. */
export const CHART_SCALE = 3;

export function renderChart(config: ChartConfiguration, widthPt: number, heightPt: number): Buffer {
  if (!libs) throw new Error('renderChart: loadChartLibraries() first');
  const { createCanvas, Chart } = libs;
  // chart.js lays out in points (the canvas's size) and draws at devicePixelRatio times that
  const canvas = createCanvas(Math.round(widthPt), Math.round(heightPt));
  const ctx = canvas.getContext('2d');
  const chart = new Chart(ctx as unknown as CanvasRenderingContext2D, {
    ...config,
    options: { ...config.options, responsive: false, animation: false, devicePixelRatio: CHART_SCALE },
    plugins: [whiteBackground, ...(config.plugins ?? [])],
  } as ChartConfiguration);
  const png = canvas.toBuffer('image/png');
  chart.destroy();
  return png;
}
