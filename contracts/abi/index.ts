export { CATEGORY, type Category, categoriesToMask, maskToCategories } from './categories.ts';
export { type Deployment, readDeployment, writeDeployment } from './deployment.ts';
export { ekroneAbi, ekroneBytecode } from './generated/ekrone.ts';
export { voucherHubAbi, voucherHubBytecode } from './generated/voucherHub.ts';
export { REDEMPTION_TYPES, type RedemptionMessage, redemptionDomain } from './redemption.ts';
export { ROLE, type RoleName } from './roles.ts';
