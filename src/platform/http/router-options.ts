/** How the app's router matches addresses; the 405 check's router matches them the same way. */
export const ROUTER_OPTIONS = { ignoreTrailingSlash: true, maxParamLength: 200 } as const;
