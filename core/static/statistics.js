// The statistics page: each chart is drawn by the site's chart module from the table under it, so both show one set of numbers.
import { drawTableCharts } from "/static/charts.js";

drawTableCharts(document);
