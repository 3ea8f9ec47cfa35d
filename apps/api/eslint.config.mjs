import baseConfig from '../../eslint.config.mjs';
import walls from './eslint.walls.cjs';

export default [...baseConfig, ...walls];
