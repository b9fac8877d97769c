/**
 * SVG charts for the report, rendered headless with Vega-Lite (no browser, no canvas): grouped bars
 * with min-max whiskers for side-by-side comparisons, and lines for scaling curves.
 */
import { compile, type TopLevelSpec } from 'vega-lite';
import { parse, View } from 'vega';

/** One bar: a measure, a competitor, its median and its min..max range. */
export interface BarPoint {
  measure: string;
  competitor: string;
  median: number;
  min: number;
  max: number;
}

/** One point of a curve. */
export interface LinePoint {
  x: number;
  y: number;
  series: string;
}

async function render(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Grouped bars: one panel per measure (each with its own y scale, since measures differ in size), one
 * bar per competitor at its median, with a min..max whisker.
 */
export function barChart(title: string, unit: string, points: readonly BarPoint[]): Promise<string> {
  return render({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    data: { values: points.map((p) => ({ ...p })) },
    facet: { column: { field: 'measure', type: 'nominal', title: null, sort: null } },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: { step: 24 },
      height: 200,
      encoding: {
        x: { field: 'competitor', type: 'nominal', axis: null, sort: null },
        color: { field: 'competitor', type: 'nominal', title: null, sort: null },
      },
      layer: [
        { mark: 'bar', encoding: { y: { field: 'median', type: 'quantitative', title: unit } } },
        {
          mark: { type: 'rule', color: 'black' },
          encoding: { y: { field: 'min', type: 'quantitative' }, y2: { field: 'max' } },
        },
      ],
    },
  });
}

/** Lines over a log-scaled x axis (one line per series). */
export function lineChart(
  title: string,
  xTitle: string,
  yTitle: string,
  points: readonly LinePoint[],
  logY = true,
): Promise<string> {
  return render({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    data: { values: points.map((p) => ({ ...p })) },
    width: 420,
    height: 240,
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'x', type: 'quantitative', scale: { type: 'log' }, title: xTitle },
      y: { field: 'y', type: 'quantitative', scale: { type: logY ? 'log' : 'linear' }, title: yTitle },
      color: { field: 'series', type: 'nominal', title: null },
    },
  });
}
