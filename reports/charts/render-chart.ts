// Draws a chart.js chart on an @napi-rs/canvas canvas on the server and returns it as PNG, for
// the PDF. The canvas uses the same DejaVu font the PDF embeds, so labels look alike everywhere.
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import { Chart, registerables, type ChartConfiguration } from 'chart.js';
import { fontPaths } from '../pdf/fonts';

let ready = false;
function setup(): void {
  if (ready) return;
  Chart.register(...registerables);
  GlobalFonts.registerFromPath(fontPaths.regular, 'DejaVu Sans');
  GlobalFonts.registerFromPath(fontPaths.bold, 'DejaVu Sans');
  Chart.defaults.font.family = 'DejaVu Sans';
  Chart.defaults.color = '#333';
  Chart.defaults.font.size = 8;
  ready = true;
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
  setup();
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
