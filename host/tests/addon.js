// Loads the test addon (host build) or, with UVCO_ADDON_BUNDLED, the bundled build.
const path = require('node:path');
const file = process.env.UVCO_ADDON || path.join(__dirname, '..', 'target', 'addon.node');
module.exports = require(file);
