export interface AreaTable {
  code: string;
  name: string;
  authority: string;
  population_2021: number;
  towns: string;
  version: number;
  updated_at: string;
}

export interface PostcodeDistrictTable {
  outward: string;
  area_codes: string;
}

export interface ReferenceTables {
  areas: AreaTable;
  postcode_districts: PostcodeDistrictTable;
}
