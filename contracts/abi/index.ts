export { CATEGORY, type Category, categoriesToMask, maskToCategories } from './categories.ts';
export { type Deployment, readDeployment, writeDeployment } from './deployment.ts';
export { adminTimelockAbi, adminTimelockBytecode } from './generated/adminTimelock.ts';
export { ekroneAbi, ekroneBytecode } from './generated/ekrone.ts';
export { voucherHubAbi, voucherHubBytecode } from './generated/voucherHub.ts';
export {
  REDEMPTION_TYPES,
  REVERSAL_TYPES,
  type RedemptionMessage,
  type ReversalMessage,
  redemptionDomain,
} from './redemption.ts';
export { ROLE, type RoleName } from './roles.ts';
