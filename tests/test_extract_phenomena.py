"""Extraction phenomena, one row per phenomenon and per trap: our own sentences and the records they must give.

Each row: (title, text, expected facilities). Every expected key must equal the extracted value; the number of
facilities must match exactly (a trap row expects fewer facilities or a null capacity).
"""

from __future__ import annotations

from typing import Any

import pytest

from extractors.pipeline import extract

CASES = [
    pytest.param(
        None,
        'Greenfield Power LLP will build a 25 MW solar power plant near the village of Tobyl in the Karasu district.',
        [{'type': 'solar', 'capacity_mw': 25.0, 'location': 'Tobyl', 'admin_area': 'Karasu district', 'status': 'planned', 'organisations': ['Greenfield Power LLP']}],
        id='village_of',
    ),
    pytest.param(
        None,
        'Baltwind AG plans a 1.5 GW wind farm near the town of Ostrava.',
        [{'type': 'wind', 'capacity_mw': 1500.0, 'location': 'Ostrava', 'status': 'planned', 'organisations': ['Baltwind AG']}],
        id='gw',
    ),
    pytest.param(
        None,
        'A 600 kW small hydropower plant was commissioned on the Chorokhi river on Monday.',
        [{'type': 'hydro', 'capacity_mw': 0.6, 'location': 'Chorokhi river', 'status': 'commissioned'}],
        id='kw',
    ),
    pytest.param(
        None,
        'The 12 MWp solar park in the village of Akkol was inaugurated on Friday.',
        [{'type': 'solar', 'capacity_mw': 12.0, 'location': 'Akkol', 'status': 'commissioned'}],
        id='mwp',
    ),
    pytest.param(
        None,
        'Officials approved a 1 500 MW coal-fired power plant in the city of Ridder.',
        [{'type': 'coal', 'capacity_mw': 1500.0, 'location': 'Ridder', 'status': 'planned'}],
        id='space_thousands',
    ),
    pytest.param(
        None,
        'The utility is building a 1,100 MW gas-fired power plant near Atyrau.',
        [{'type': 'gas', 'capacity_mw': 1100.0, 'location': 'Atyrau', 'region_canonical': 'Atyrau', 'country': 'Kazakhstan', 'status': 'under_construction'}],
        id='comma_thousands',
    ),
    pytest.param(
        None,
        'Agro Biotech LLP opened a 4-MW biogas plant in the village of Zhetybai.',
        [{'type': 'biogas', 'capacity_mw': 4.0, 'location': 'Zhetybai', 'status': 'commissioned', 'organisations': ['Agro Biotech LLP']}],
        id='hyphen',
    ),
    pytest.param(
        None,
        'A solar plant of 250 megawatts will be located in the Oral district.',
        [{'type': 'solar', 'capacity_mw': 250.0, 'location': 'Oral district', 'status': 'planned'}],
        id='megawatts',
    ),
    pytest.param(
        None,
        'The government will tender a wind farm of 100-150 MW near the town of Shetpe.',
        [{'type': 'wind', 'capacity_range': [100.0, 150.0], 'capacity_qualifier': 'range', 'location': 'Shetpe', 'status': 'planned'}],
        id='range',
    ),
    pytest.param(
        None,
        'A battery storage system of up to 50 MW will be installed in the city of Aktau.',
        [{'type': 'battery_storage', 'capacity_mw': 50.0, 'capacity_qualifier': 'up to', 'location': 'Aktau', 'status': 'planned'}],
        id='up_to',
    ),
    pytest.param(
        None,
        'The firm signed a deal for a 60 MW/240 MWh battery energy storage system at Kapchagay.',
        [{'type': 'battery_storage', 'capacity_mw': 60.0, 'storage_mwh': 240.0, 'location': 'Kapchagay', 'status': 'planned'}],
        id='mw_mwh',
    ),
    pytest.param(
        None,
        'Construction began on a 65 MWdc/50 MWac solar farm near the town of Arys.',
        [{'type': 'solar', 'capacity_mw': 50.0, 'location': 'Arys', 'status': 'under_construction'}],
        id='dc_ac',
    ),
    pytest.param(
        None,
        'The ministry plans two wind farms of 80 MW each in the Aral and Kazaly districts.',
        [{'type': 'wind', 'capacity_mw': 80.0, 'location': 'Aral district', 'status': 'planned'}, {'type': 'wind', 'capacity_mw': 80.0, 'location': 'Kazaly district', 'status': 'planned'}],
        id='each',
    ),
    pytest.param(
        None,
        'The Ulan HPP and the Koksu HPP, with capacities of 30 MW and 45 MW respectively, will be built by Altai Hydro JSC.',
        [{'type': 'hydro', 'name': 'Ulan HPP', 'capacity_mw': 30.0, 'location': 'Ulan', 'status': 'planned', 'organisations': ['Altai Hydro JSC']}, {'type': 'hydro', 'name': 'Koksu HPP', 'capacity_mw': 45.0, 'location': 'Koksu', 'status': 'planned', 'organisations': ['Altai Hydro JSC']}],
        id='respectively',
    ),
    pytest.param(
        None,
        'New solar plants will be built in Taraz city (20 MW), Merke district (10 MW) and near the village of Aksu-Ayuly (5 MW).',
        [{'type': 'solar', 'capacity_mw': 20.0, 'location': 'Taraz city', 'status': 'planned'}, {'type': 'solar', 'capacity_mw': 10.0, 'location': 'Merke district', 'status': 'planned'}, {'type': 'solar', 'capacity_mw': 5.0, 'location': 'Aksu-Ayuly', 'status': 'planned'}],
        id='parenthetical',
    ),
    pytest.param(
        None,
        'The two wind farms, with a combined capacity of 300 MW, were commissioned in the Altai and Zaisan districts.',
        [{'type': 'wind', 'location': 'Altai district', 'status': 'commissioned'}, {'type': 'wind', 'location': 'Zaisan district', 'status': 'commissioned'}],
        id='combined',
    ),
    pytest.param(
        None,
        "Kazakhstan's installed solar capacity reached 2,000 MW this year, the ministry said.",
        [],
        id='national_total',
    ),
    pytest.param(
        None,
        'Sunbeam Energy now operates 3 GW of solar capacity worldwide.',
        [],
        id='company_total',
    ),
    pytest.param(
        None,
        'The 20 MW wind farm near Ereymentau generated 60 GWh of electricity last year.',
        [{'type': 'wind', 'capacity_mw': 20.0, 'location': 'Ereymentau', 'status': 'operational'}],
        id='generation',
    ),
    pytest.param(
        None,
        'The 60 MW Kost wind farm will use 20 turbines of 3 MW each.',
        [{'type': 'wind', 'name': 'Kost wind farm', 'capacity_mw': 60.0, 'location': 'Kost'}],
        id='turbines',
    ),
    pytest.param(
        None,
        'The second unit of the 1,000 MW Marsh nuclear power plant will be commissioned in 2030.',
        [{'type': 'nuclear', 'name': 'Marsh nuclear power plant', 'capacity_mw': 1000.0, 'location': 'Marsh', 'status': 'under_construction', 'target_year': 2030}],
        id='unit',
    ),
    pytest.param(
        None,
        'The 50 MW solar plant in the town of Baikonur cost $45 million, will cut emissions by 60,000 tonnes a year, power 40,000 households and sits 15 km from the grid; it covers 12% of local demand.',
        [{'type': 'solar', 'capacity_mw': 50.0, 'location': 'Baikonur'}],
        id='traps_misc',
    ),
    pytest.param(
        None,
        'A 90 MW wind farm is being built near the village of Koktal.',
        [{'type': 'wind', 'capacity_mw': 90.0, 'location': 'Koktal', 'status': 'under_construction'}],
        id='under_construction',
    ),
    pytest.param(
        None,
        'The 15 MW Saryagash solar farm has been operating since 2015.',
        [{'type': 'solar', 'name': 'Saryagash solar farm', 'capacity_mw': 15.0, 'location': 'Saryagash', 'status': 'operational'}],
        id='operational',
    ),
    pytest.param(
        None,
        'A proposed 200 MW coal plant in the Zhezkazgan area was scrapped last week.',
        [{'type': 'coal', 'capacity_mw': 200.0, 'location': 'Zhezkazgan area', 'status': 'cancelled'}],
        id='cancelled',
    ),
    pytest.param(
        None,
        'A 10 MW solar power plant was put into operation in the town of Shardara on Tuesday.',
        [{'type': 'solar', 'capacity_mw': 10.0, 'location': 'Shardara', 'status': 'commissioned'}],
        id='commissioned',
    ),
    pytest.param(
        None,
        'Qazaq Green Ltd signed a memorandum on a 150 MW wind farm near the town of Zhanatas.',
        [{'type': 'wind', 'capacity_mw': 150.0, 'location': 'Zhanatas', 'status': 'planned', 'organisations': ['Qazaq Green Ltd']}],
        id='memorandum',
    ),
    pytest.param(
        None,
        'Orda Solar will build a 70 MW solar park in the Shieli district by 2027.',
        [{'type': 'solar', 'capacity_mw': 70.0, 'location': 'Shieli district', 'status': 'planned', 'target_year': 2027, 'organisations': ['Orda Solar']}],
        id='by_year',
    ),
    pytest.param(
        None,
        'A 35 MW biomass plant near the town of Petropavl is expected to be completed in the second quarter of 2026.',
        [{'type': 'biomass', 'capacity_mw': 35.0, 'location': 'Petropavl', 'status': 'planned', 'target_year': 2026}],
        id='quarter',
    ),
    pytest.param(
        None,
        'A 30 MW wind farm is planned in the Zhanaarka district.\n\nThe plant will be located near the village of Atasu and will be built by Steppe Breeze LLP.',
        [{'type': 'wind', 'capacity_mw': 30.0, 'location': 'Atasu', 'admin_area': 'Zhanaarka district', 'status': 'planned', 'organisations': ['Steppe Breeze LLP']}],
        id='coref',
    ),
    pytest.param(
        None,
        'Two solar plants are planned in Almaty region: the Kapal SPP (40 MW) and the Usek SPP (60 MW). The Kapal plant will be located near the village of Kapal.',
        [{'type': 'solar', 'name': 'Kapal SPP', 'capacity_mw': 40.0, 'location': 'Kapal', 'admin_area': 'Almaty region', 'region_canonical': 'Almaty', 'country': 'Kazakhstan', 'status': 'planned'}, {'type': 'solar', 'name': 'Usek SPP', 'capacity_mw': 60.0, 'location': 'Usek', 'admin_area': 'Almaty region', 'region_canonical': 'Almaty', 'country': 'Kazakhstan', 'status': 'planned'}],
        id='named_coref',
    ),
    pytest.param(
        None,
        'The country now has 140 renewable plants with a total capacity of 3,000 MW, including 40 wind farms with 1,300 MW and 60 solar plants with 1,500 MW.',
        [],
        id='negative_stats',
    ),
    pytest.param(
        None,
        'Sunrise Hybrid LLC plans a project combining a 100 MW solar park with a 40 MW/80 MWh battery near the town of Kentau.',
        [{'type': 'solar', 'capacity_mw': 100.0, 'location': 'Kentau', 'status': 'planned', 'organisations': ['Sunrise Hybrid LLC']}, {'type': 'battery_storage', 'capacity_mw': 40.0, 'storage_mwh': 80.0, 'location': 'Kentau', 'status': 'planned', 'organisations': ['Sunrise Hybrid LLC']}],
        id='hybrid',
    ),
    pytest.param(
        "Uzbekistan's Bukhara region to get a 300 MW solar plant",
        'A 300 MW solar plant will be built in the Gijduvon district, the hokimiyat said.',
        [{'type': 'solar', 'capacity_mw': 300.0, 'location': 'Gijduvon district', 'admin_area': 'Bukhara region', 'region_canonical': 'Bukhara', 'country': 'Uzbekistan', 'status': 'planned'}],
        id='title_region',
    ),
    pytest.param(
        None,
        'A 40 MW geothermal power plant at Olkaria in Nakuru County, Kenya, was connected to the grid.',
        [{'type': 'geothermal', 'capacity_mw': 40.0, 'location': 'Olkaria', 'admin_area': 'Nakuru County', 'country': 'Kenya', 'status': 'commissioned'}],
        id='county_country',
    ),
    pytest.param(
        None,
        'A 20 MW solar plant started operation in Qaragandy oblast on Monday.',
        [{'type': 'solar', 'capacity_mw': 20.0, 'location': 'Qaragandy oblast', 'region_canonical': 'Karaganda', 'country': 'Kazakhstan', 'status': 'commissioned'}],
        id='transliteration',
    ),
    pytest.param(
        None,
        'Bright Sun LLP completed a 45 MW solar park near the town of Saran. The project was financed by the Asian Development Bank and the panels were supplied by Longi.',
        [{'type': 'solar', 'capacity_mw': 45.0, 'location': 'Saran', 'status': 'commissioned', 'organisations': ['Bright Sun LLP']}],
        id='lender_supplier',
    ),
    pytest.param(
        None,
        'A wind farm with an installed capacity of 72 MW opened near the town of Yereymentau.',
        [{'type': 'wind', 'capacity_mw': 72.0, 'location': 'Yereymentau', 'status': 'commissioned'}],
        id='installed_capacity',
    ),
    pytest.param(
        None,
        'Three solar stations were launched in the Atyrau, Aktobe and Kostanay regions.',
        [{'type': 'solar', 'location': 'Atyrau region', 'region_canonical': 'Atyrau', 'country': 'Kazakhstan', 'status': 'commissioned'}, {'type': 'solar', 'location': 'Aktobe region', 'region_canonical': 'Aktobe', 'country': 'Kazakhstan', 'status': 'commissioned'}, {'type': 'solar', 'location': 'Kostanay region', 'region_canonical': 'Kostanay', 'country': 'Kazakhstan', 'status': 'commissioned'}],
        id='regions_list',
    ),
    pytest.param(
        None,
        'A waste-to-energy plant of 30 MW is under construction near the city of Shymkent.',
        [{'type': 'waste_to_energy', 'capacity_mw': 30.0, 'location': 'Shymkent', 'country': 'Kazakhstan', 'status': 'under_construction'}],
        id='wte',
    ),
    pytest.param(
        None,
        'Hydro Verde announced plans for a 200 MW electrolyser near the port of Kuryk.',
        [{'type': 'hydrogen', 'capacity_mw': 200.0, 'location': 'Kuryk', 'status': 'planned', 'organisations': ['Hydro Verde']}],
        id='electrolyser',
    ),
    pytest.param(
        None,
        'Construction of the 2,400 MW Ulken NPP started in the Zhambyl district.',
        [{'type': 'nuclear', 'name': 'Ulken NPP', 'capacity_mw': 2400.0, 'location': 'Zhambyl district', 'status': 'under_construction'}],
        id='npp',
    ),
    pytest.param(
        None,
        'A 250 MW CCGT will be built in the city of Kyzylorda by 2028.',
        [{'type': 'gas', 'capacity_mw': 250.0, 'location': 'Kyzylorda', 'country': 'Kazakhstan', 'status': 'planned', 'target_year': 2028}],
        id='ccgt',
    ),
    pytest.param(
        None,
        'A 5 MW rice husk power plant was inaugurated in the village of Chilik.',
        [{'type': 'biomass', 'capacity_mw': 5.0, 'location': 'Chilik', 'status': 'commissioned'}],
        id='rice_husk',
    ),
    pytest.param(
        None,
        'The 8 MW solar plant in Kosshy town was launched on Friday.',
        [{'type': 'solar', 'capacity_mw': 8.0, 'location': 'Kosshy town', 'status': 'commissioned'}],
        id='town_suffix',
    ),
    pytest.param(
        None,
        'The 100 MW Burnoye solar park, operating since 2016, will be expanded by 50 MW.',
        [{'type': 'solar', 'name': 'Burnoye solar park', 'capacity_mw': 100.0, 'location': 'Burnoye', 'status': 'operational'}],
        id='extension',
    ),
    pytest.param(
        None,
        'The Ministry of Energy of Kazakhstan and Eurasian Wind LLP signed an agreement to build a 100 MW wind farm in the Mugalzhar district.',
        [{'type': 'wind', 'capacity_mw': 100.0, 'location': 'Mugalzhar district', 'country': 'Kazakhstan', 'status': 'planned', 'organisations': ['Eurasian Wind LLP']}],
        id='ministry',
    ),
    pytest.param(
        None,
        'KEGOC said the 50 MW solar plant near the village of Ushtobe would be connected next year.',
        [{'type': 'solar', 'capacity_mw': 50.0, 'location': 'Ushtobe', 'status': 'planned', 'organisations': ['KEGOC']}],
        id='acronym',
    ),
    pytest.param(
        None,
        'Zhel Power commissions 45 MW wind farm in Akmola\n\nZhel Power has commissioned a 45 MW wind farm near the town of Ereymentau in Akmola region, the company said.',
        [{'type': 'wind', 'capacity_mw': 45.0, 'location': 'Ereymentau', 'admin_area': 'Akmola', 'region_canonical': 'Akmola', 'country': 'Kazakhstan', 'status': 'commissioned', 'organisations': ['Zhel Power']}],
        id='headline_and_body',
    ),
    pytest.param(
        None,
        'The ministry signed an agreement for two wind farms of 50 MW each in the Akmola and Kostanay regions. The first will be located near the village of Astrakhanka, and the second near the town of Arkalyk.',
        [{'type': 'wind', 'capacity_mw': 50.0, 'location': 'Astrakhanka', 'admin_area': 'Akmola region', 'region_canonical': 'Akmola', 'country': 'Kazakhstan', 'status': 'planned'}, {'type': 'wind', 'capacity_mw': 50.0, 'location': 'Arkalyk', 'admin_area': 'Kostanay region', 'region_canonical': 'Kostanay', 'country': 'Kazakhstan', 'status': 'planned'}],
        id='ordinals',
    ),
    pytest.param(
        None,
        'The company already operates solar plants in Kapshagai (10 MW) and Usharal (15 MW).',
        [{'type': 'solar', 'capacity_mw': 10.0, 'location': 'Kapshagai', 'status': 'operational'}, {'type': 'solar', 'capacity_mw': 15.0, 'location': 'Usharal', 'status': 'operational'}],
        id='list_continuation',
    ),
    pytest.param(
        None,
        'Three small hydropower plants of 2 MW each will be built in the villages of Tekeli, Koksu and Lepsy.',
        [{'type': 'hydro', 'capacity_mw': 2.0, 'location': 'Tekeli village', 'status': 'planned'}, {'type': 'hydro', 'capacity_mw': 2.0, 'location': 'Koksu village', 'status': 'planned'}, {'type': 'hydro', 'capacity_mw': 2.0, 'location': 'Lepsy village', 'status': 'planned'}],
        id='villages_of_list',
    ),
    pytest.param(
        None,
        'A 60 MW power station fuelled by heavy fuel oil was commissioned at the port of Aktau.',
        [{'type': 'oil', 'capacity_mw': 60.0, 'location': 'Aktau', 'status': 'commissioned'}],
        id='fuel_after_head',
    ),
    pytest.param(
        None,
        'Orda Solar completed a 100 MW solar park near the town of Saran. Its next project, a 150 MW plant in the Shet district, is under construction.',
        [{'type': 'solar', 'capacity_mw': 100.0, 'location': 'Saran', 'status': 'commissioned', 'organisations': ['Orda Solar']}, {'type': 'solar', 'capacity_mw': 150.0, 'location': 'Shet district', 'status': 'under_construction'}],
        id='generic_capacity_plant',
    ),
    pytest.param(
        None,
        'Steppe Gas already operates three gas-fired stations in Central Asia with a combined capacity of 2.4 GW.',
        [],
        id='fleet_is_not_a_plant',
    ),
    pytest.param(
        None,
        'A 20 MW solar plant opened in the Talgar district. A 30 MW wind farm is planned in the same district.',
        [{'type': 'solar', 'capacity_mw': 20.0, 'location': 'Talgar district', 'status': 'commissioned'}, {'type': 'wind', 'capacity_mw': 30.0, 'location': 'Talgar district', 'status': 'planned'}],
        id='same_district',
    ),
    pytest.param(
        None,
        'The government cancelled the 300 MW Koksay hydropower cascade on the Koksu river in Almaty region.\n\nThe developer had planned two plants, Upper Koksay HPP (200 MW) and Lower Koksay HPP (100 MW).',
        [{'type': 'hydro', 'name': 'Koksay hydropower cascade', 'capacity_mw': 300.0, 'location': 'Koksu river', 'admin_area': 'Almaty region', 'region_canonical': 'Almaty', 'country': 'Kazakhstan', 'status': 'cancelled'}, {'type': 'hydro', 'name': 'Upper Koksay HPP', 'capacity_mw': 200.0, 'location': 'Koksu river', 'admin_area': 'Almaty region', 'region_canonical': 'Almaty', 'country': 'Kazakhstan', 'status': 'cancelled'}, {'type': 'hydro', 'name': 'Lower Koksay HPP', 'capacity_mw': 100.0, 'location': 'Koksu river', 'admin_area': 'Almaty region', 'region_canonical': 'Almaty', 'country': 'Kazakhstan', 'status': 'cancelled'}],
        id='complex_parts',
    ),
    pytest.param(
        None,
        'Aigerim Bekova said the 10 MW solar plant near the town of Shu would open in May.',
        [{'type': 'solar', 'capacity_mw': 10.0, 'location': 'Shu', 'status': 'planned'}],
        id='person_is_not_org',
    ),
    pytest.param(
        None,
        'SHYMKENT - A 5 MW biogas plant was launched in the village of Kazygurt on Monday.',
        [{'type': 'biogas', 'capacity_mw': 5.0, 'location': 'Kazygurt', 'status': 'commissioned'}],
        id='dateline_not_org',
    ),
    pytest.param(
        None,
        'Arai Energy has commissioned 60 MW of the 120 MW Sholak solar project in the Zhambyl district.',
        [{'type': 'solar', 'name': 'Sholak solar project', 'capacity_mw': 120.0, 'location': 'Zhambyl district', 'status': 'commissioned', 'organisations': ['Arai Energy']}],
        id='part_of_total',
    ),
    pytest.param(
        None,
        'The 500 MW Caspian Breeze wind farm near the port of Kuryk delivered first power on Monday.',
        [{'type': 'wind', 'name': 'Caspian Breeze wind farm', 'capacity_mw': 500.0, 'location': 'Kuryk', 'status': 'commissioned'}],
        id='first_power',
    ),
    pytest.param(
        None,
        'Prairie Sun LLC started construction of the 250-megawatt Dry Creek solar project in Pecos County, Texas.',
        [{'type': 'solar', 'name': 'Dry Creek solar project', 'capacity_mw': 250.0, 'location': 'Pecos County', 'admin_area': 'Texas', 'region_canonical': 'Texas', 'country': 'United States', 'status': 'under_construction', 'organisations': ['Prairie Sun LLC']}],
        id='permit_us_style',
    ),
    pytest.param(
        None,
        'The 55 MW Shokpar wind farm consists of 22 turbines with a unit capacity of 2.5 MW.',
        [{'type': 'wind', 'name': 'Shokpar wind farm', 'capacity_mw': 55.0, 'location': 'Shokpar'}],
        id='unit_capacity_trap',
    ),
    pytest.param(
        None,
        'Three hydropower plants - Kerben-1 (120 MW), Ozgorush (90 MW) and Kokomeren (60 MW) - are planned.',
        [{'type': 'hydro', 'name': 'Kerben-1', 'capacity_mw': 120.0, 'location': 'Kerben', 'status': 'planned'}, {'type': 'hydro', 'name': 'Ozgorush', 'capacity_mw': 90.0, 'location': 'Ozgorush', 'status': 'planned'}, {'type': 'hydro', 'name': 'Kokomeren', 'capacity_mw': 60.0, 'location': 'Kokomeren', 'status': 'planned'}],
        id='named_list_items',
    ),
    pytest.param(
        None,
        'Baltwind AG took a final investment decision on the 900 MW Stolpe wind farm near the town of Ustka and has started construction work.',
        [{'type': 'wind', 'name': 'Stolpe wind farm', 'capacity_mw': 900.0, 'location': 'Ustka', 'status': 'under_construction', 'organisations': ['Baltwind AG']}],
        id='progress_beats_intention',
    ),
    pytest.param(
        None,
        'Agro Dala LLP has put a 750 kW biogas plant into operation in the village of Karabulak.',
        [{'type': 'biogas', 'capacity_mw': 0.75, 'location': 'Karabulak', 'status': 'commissioned', 'organisations': ['Agro Dala LLP']}],
        id='put_x_into_operation',
    ),
    pytest.param(
        None,
        'Stepnoy Veter LLP has broken ground on a 48 MW wind farm near the village of Zhaltyr.',
        [{'type': 'wind', 'capacity_mw': 48.0, 'location': 'Zhaltyr', 'status': 'under_construction', 'organisations': ['Stepnoy Veter LLP']}],
        id='broken_ground',
    ),
    pytest.param(
        None,
        'Kamal Solar Pvt Ltd will break ground next spring on a 30 MW solar park in the town of Bhadla.',
        [{'type': 'solar', 'capacity_mw': 30.0, 'location': 'Bhadla', 'status': 'planned', 'organisations': ['Kamal Solar Pvt Ltd']}],
        id='will_break_ground_is_planned',
    ),
    pytest.param(
        None,
        'Sunwave Energy Ltd said it has operationalised a 75 MW solar plant in the village of Pokaran.',
        [{'type': 'solar', 'capacity_mw': 75.0, 'location': 'Pokaran', 'status': 'commissioned', 'organisations': ['Sunwave Energy Ltd']}],
        id='operationalised',
    ),
    pytest.param(
        None,
        'The nearby 700 MW Brenner coal plant is due to close in 2030.',
        [{'type': 'coal', 'capacity_mw': 700.0, 'status': 'operational'}],
        id='due_to_close_is_still_operating',
    ),
    pytest.param(
        None,
        'Regulators rejected a permit for a 210-megawatt gas-fired peaker plant proposed by Eastbay Power in the town of Linden.',
        [{'type': 'gas', 'capacity_mw': 210.0, 'location': 'Linden', 'status': 'cancelled', 'organisations': ['Eastbay Power']}],
        id='gas_peaker_plant',
    ),
    pytest.param(
        None,
        'Harbor Peak Power plans a 300 MW battery storage project in Astoria, Queens.',
        [{'type': 'battery_storage', 'capacity_mw': 300.0, 'location': 'Astoria', 'admin_area': 'Queens', 'region': None, 'country': None, 'status': 'planned'}],
        id='sound_alike_foreign_region_needs_its_country_written',  # "Astoria" ~ Azerbaijan's Astara
    ),
    pytest.param(
        None,
        'Zenith Power will build a 50 MW solar plant near Kara village in Kazakhstan.',
        [{'type': 'solar', 'capacity_mw': 50.0, 'location': 'Kara village', 'country': 'Kazakhstan', 'status': 'planned'}],
        id='village_named_like_a_foreign_region_keeps_the_written_country',  # Togo has a Kara region
    ),
    pytest.param(
        None,
        'Construction has begun on a 350 MW battery near Morwell in Victoria\'s Latrobe Valley, using cells from a US supplier.',
        [{'type': 'battery_storage', 'capacity_mw': 350.0, 'location': 'Morwell', 'region': 'Victoria', 'country': 'Australia', 'status': 'under_construction'}],
        id='exact_region_name_needs_no_written_country',
    ),
    pytest.param(
        None,
        'The county commissioners voted to deny a rezoning request for the proposed 120 MW Oak Ridge solar farm near Milford.',
        [{'type': 'solar', 'capacity_mw': 120.0, 'location': 'Milford', 'status': 'cancelled'}],
        id='planning_refusal_is_cancelled',  # "deny a rezoning" beats "proposed"
    ),
    pytest.param(
        None,
        'The council denied planning permission for a 30 MW solar farm at Hollow Lane.',
        [{'type': 'solar', 'capacity_mw': 30.0, 'location': 'Hollow Lane', 'status': 'cancelled'}],
        id='denied_permission_is_cancelled',  # not "planned" from the word "permission"
    ),
    pytest.param(
        None,
        'The 90 MW Redmoor wind farm near Tavistock completed its first year of operation.',
        [{'type': 'wind', 'capacity_mw': 90.0, 'location': 'Tavistock', 'status': 'operational'}],
        id='first_year_of_operation_is_operational',
    ),
    pytest.param(
        None,
        'Brightfield Ltd won a 150 MW wind-solar hybrid project in Gadag district.',
        [{'type': 'solar', 'capacity_mw': None, 'location': 'Gadag district'},
         {'type': 'wind', 'capacity_mw': None, 'location': 'Gadag district'}],
        id='hybrid_one_record_per_technology_combined_figure_to_neither',
    ),
    pytest.param(
        None,
        'Brightfield Ltd has commissioned a 300 MW wind-solar hybrid plant at Rampur in Bikaner district.\n\n'
        'The plant combines 220 MW of solar modules with 80 MW of wind turbines.',
        [{'type': 'solar', 'capacity_mw': 220.0, 'location': 'Rampur', 'status': 'commissioned'},
         {'type': 'wind', 'capacity_mw': 80.0, 'location': 'Rampur', 'status': 'commissioned'}],
        id='hybrid_figures_per_technology_from_the_next_sentence',
    ),
    pytest.param(
        None,
        'The utility will build a 40 MW solar-plus-storage plant in Tobyl village.',
        [{'type': 'battery_storage', 'capacity_mw': None, 'location': 'Tobyl village', 'status': 'planned'},
         {'type': 'solar', 'capacity_mw': None, 'location': 'Tobyl village', 'status': 'planned'}],
        id='solar_plus_storage_is_two_records',
    ),
    pytest.param(
        None,
        'Marsh County already hosts more than 900 megawatts of wind capacity across five wind farms.',
        [],
        id='total_spread_across_plants_is_no_facility',
    ),
    pytest.param(
        None,
        'The 900 MW is split between two wind farms near Aktau and Zhanaozen.',
        [{'type': 'wind', 'capacity_mw': None, 'location': 'Aktau'}, {'type': 'wind', 'capacity_mw': None, 'location': 'Zhanaozen'}],
        id='total_split_between_plants_with_their_own_places',
    ),
    pytest.param(
        None,
        'In County Kerry, Lough Energy has begun building the 40 MW Ardmore wind farm near Castlegregory.',
        [{'type': 'wind', 'capacity_mw': 40.0, 'location': 'Castlegregory', 'admin_area': 'County Kerry', 'status': 'under_construction'}],
        id='county_before_its_name',
    ),
    pytest.param(
        None,
        'A 60 MW floating solar plant on the Cirata reservoir in Purwakarta regency began supplying power on Monday.',
        [{'type': 'solar', 'capacity_mw': 60.0, 'location': 'Cirata reservoir', 'admin_area': 'Purwakarta regency', 'status': 'commissioned'}],
        id='reservoir_and_regency',
    ),
    pytest.param(
        None,
        'Lough Energy has begun building the Ardmore wind farm near Castlegregory. The nine-turbine, 40.5 MW project is due to be completed in 2027.',
        [{'type': 'wind', 'capacity_mw': 40.5, 'location': 'Castlegregory', 'status': 'under_construction', 'target_year': 2027}],
        id='anaphor_with_a_turbine_count_takes_the_capacity',
    ),
    pytest.param(
        None,
        'A floating solar plant on the Cirata reservoir began supplying power on Monday. The 90 MWac plant cost $110 million.',
        [{'type': 'solar', 'capacity_mw': 90.0, 'location': 'Cirata reservoir', 'status': 'commissioned'}],
        id='anaphor_with_mwac_takes_the_capacity',
    ),
    pytest.param(
        None,
        'The feasibility study has been completed for the Kara-Tash thermal power plant near Bashkol.',
        [{'type': 'coal', 'location': 'Bashkol', 'status': 'planned'}],
        id='completed_study_is_not_a_completed_plant',
    ),
    pytest.param(
        None,
        'The winners are Tswane Storage (150 MW/600 MWh) near Upington and Rietvlei Storage (80 MW/320 MWh) near Kakamas.',
        [{'type': 'battery_storage', 'name': 'Tswane Storage', 'capacity_mw': 150.0, 'storage_mwh': 600.0, 'location': 'Upington'},
         {'type': 'battery_storage', 'name': 'Rietvlei Storage', 'capacity_mw': 80.0, 'storage_mwh': 320.0, 'location': 'Kakamas'}],
        id='named_storage_projects_in_a_list_with_their_figures',
    ),
    pytest.param(
        None,
        'Two small hydropower plants on the Chu river, at Kemin in Chui and at Kochkor in Naryn, with capacities of 6 MW and 3.5 MW respectively, are planned.',
        [{'type': 'hydro', 'capacity_mw': 6.0, 'location': 'Kemin', 'admin_area': 'Chui', 'status': 'planned'},
         {'type': 'hydro', 'capacity_mw': 3.5, 'location': 'Kochkor', 'admin_area': 'Naryn', 'status': 'planned'}],
        id='respectively_with_every_place_before_the_figures',
    ),
    pytest.param(
        None,
        'Pune-based Sahyadri Renewables will build a 50 MW solar plant near Sira.',
        [{'type': 'solar', 'capacity_mw': 50.0, 'location': 'Sira', 'status': 'planned', 'organisations': ['Sahyadri Renewables']}],
        id='home_town_of_the_developer_is_not_the_plant_place',
    ),
    pytest.param(
        None,
        'Nordvind Energy, which is based in Bremen, commissioned a 30 MW wind farm in Kenya.',
        [{'type': 'wind', 'capacity_mw': 30.0, 'location': None, 'region': None, 'country': 'Kenya', 'status': 'commissioned'}],
        id='based_in_a_region_is_not_the_plant_region',
    ),
    pytest.param(
        None,
        'The Ak-Say thermal power plant will be built near Bashkol. It will have a total capacity of 600 MW in four units of 150 MW each.',
        [{'type': 'coal', 'name': 'Ak-Say thermal power plant', 'capacity_mw': 600.0, 'location': 'Bashkol', 'status': 'planned'}],
        id='it_will_have_a_total_capacity_is_the_plants_own',
    ),
    pytest.param(
        None,
        'The Ak-Say thermal power plant, with a total capacity of 600 MW, will be built near Bashkol.',
        [{'type': 'coal', 'name': 'Ak-Say thermal power plant', 'capacity_mw': 600.0, 'location': 'Bashkol', 'status': 'planned'}],
        id='plant_with_a_total_capacity_is_its_own',
    ),
    pytest.param(
        None,
        'Steppe Sun LLP will build a 30 MW solar plant near Kara village.',
        [{'type': 'solar', 'capacity_mw': 30.0, 'location': 'Kara village', 'country': None, 'status': 'planned'}],
        id='village_named_like_a_foreign_region_in_an_article_naming_no_country',  # Togo has a Kara region
    ),
    pytest.param(
        None,
        'İstanbul-based Kuzey Enerji will build a 100 MW wind-solar hybrid plant near Çeşme.',
        [{'type': 'solar', 'capacity_mw': None, 'location': 'Çeşme', 'status': 'planned'},
         {'type': 'wind', 'capacity_mw': None, 'location': 'Çeşme', 'status': 'planned'}],
        id='text_whose_lowercase_is_longer_keeps_its_offsets',  # "İ".lower() is two characters
    ),
    pytest.param(
        None,
        'Prairie Electric said it would keep the 800 MW Coyote Butte coal plant near Gillette running until 2034, later than planned.',
        [{'type': 'coal', 'capacity_mw': 800.0, 'location': 'Gillette', 'status': 'operational', 'organisations': ['Prairie Electric']}],
        id='kept_running_until_is_operational',
    ),
    pytest.param(
        None,
        'During the quarter the group connected the Encina solar plant (Badajoz, 150 MWp) and the Cierzo wind farm (Huesca, 49.5 MW).',
        [{'type': 'solar', 'name': 'Encina solar plant', 'capacity_mw': 150.0, 'location': 'Badajoz', 'status': 'commissioned'},
         {'type': 'wind', 'name': 'Cierzo wind farm', 'capacity_mw': 49.5, 'location': 'Huesca', 'status': 'commissioned'}],
        id='place_and_capacity_in_brackets_after_the_plant',
    ),
    pytest.param(
        None,
        'The cabinet approved three hydropower projects in Swat district: Kalam (48 MW), Utror (36 MW) and Mingora (22-25 MW).',
        [{'type': 'hydro', 'capacity_mw': 48.0, 'location': 'Kalam', 'status': 'planned'},
         {'type': 'hydro', 'capacity_mw': 36.0, 'location': 'Utror', 'status': 'planned'},
         {'type': 'hydro', 'capacity_range': [22.0, 25.0], 'location': 'Mingora', 'status': 'planned'}],
        id='list_of_places_each_with_its_capacity_in_brackets',
    ),
    pytest.param(
        None,
        'The cabinet approved three run-of-river hydropower projects in Swat district: Kalam (48 MW), Utror (36 MW) and Mingora (22-25 MW), and scrapped a plan for a 150 MW furnace-oil power plant at Nowshera.',
        [{'type': 'hydro', 'capacity_mw': 48.0, 'location': 'Kalam', 'status': 'planned'},
         {'type': 'hydro', 'capacity_mw': 36.0, 'location': 'Utror', 'status': 'planned'},
         {'type': 'hydro', 'capacity_range': [22.0, 25.0], 'location': 'Mingora', 'status': 'planned'},
         {'type': 'oil', 'location': 'Nowshera', 'status': 'cancelled'}],
        id='figure_after_a_bracketed_list_is_not_the_lists',
    ),
    pytest.param(
        None,
        'The utility signed agreements for two solar plants of 100 MW each at Ziway and Dubti, in the Oromia and Afar regions respectively.',
        [{'type': 'solar', 'capacity_mw': 100.0, 'location': 'Ziway', 'admin_area': 'Oromia region', 'country': 'Ethiopia', 'status': 'planned'},
         {'type': 'solar', 'capacity_mw': 100.0, 'location': 'Dubti', 'admin_area': 'Afar region', 'country': 'Ethiopia', 'status': 'planned'}],
        id='places_paired_with_a_list_of_their_regions',
    ),
    pytest.param(
        None,
        'The board decided to abandon the 300 MW Mesa Alta solar project in Teruel.',
        [{'type': 'solar', 'capacity_mw': 300.0, 'location': 'Teruel', 'status': 'cancelled'}],
        id='abandon_is_cancelled',
    ),
    pytest.param(
        None,
        'Output from the 200 MW Tramuntana wind complex in Girona fell 12% on low wind speeds.',
        [{'type': 'wind', 'capacity_mw': 200.0, 'location': 'Girona', 'status': 'operational'}],
        id='output_from_a_plant_means_it_runs',
    ),
    pytest.param(
        None,
        'Hoang Son Wind is now building two wind farms near Ea Sup in Dak Lak province and Chu Prong in Gia Lai province, with capacities of 100 MW and 150 MW respectively.',
        [{'type': 'wind', 'capacity_mw': 100.0, 'location': 'Ea Sup', 'admin_area': 'Dak Lak province', 'status': 'under_construction', 'organisations': ['Hoang Son Wind']},
         {'type': 'wind', 'capacity_mw': 150.0, 'location': 'Chu Prong', 'admin_area': 'Gia Lai province', 'status': 'under_construction', 'organisations': ['Hoang Son Wind']}],
        id='list_goes_on_after_a_place_in_its_region',
    ),
    pytest.param(
        None,
        'Ra Solar Park, located 12 km east of Edfu, was inaugurated on Sunday.',
        [{'type': 'solar', 'name': 'Ra Solar Park', 'location': 'Edfu', 'status': 'commissioned'}],
        id='direction_of_a_place',
    ),
    pytest.param(
        None,
        'A 20 MW battery storage facility is being built next to the Moose Jaw substation.',
        [{'type': 'battery_storage', 'capacity_mw': 20.0, 'location': 'Moose Jaw', 'status': 'under_construction'}],
        id='next_to_a_place',
    ),
    pytest.param(
        None,
        'The cabinet approved two hydropower projects, Kalam (48 MW) and Utror (36 MW), and scrapped a plan for a 150 MW oil-fired plant at Nowshera.',
        [{'type': 'hydro', 'capacity_mw': 48.0, 'location': 'Kalam', 'status': 'planned'},
         {'type': 'hydro', 'capacity_mw': 36.0, 'location': 'Utror', 'status': 'planned'},
         {'type': 'oil', 'capacity_mw': 150.0, 'location': 'Nowshera', 'status': 'cancelled'}],
        id='cancellation_of_another_facility_in_the_sentence',
    ),
    pytest.param(
        None,
        'Andes Sol SpA started commercial operation of its Cerro Azul hybrid plant near Taltal, which pairs 180 MWac of solar panels with a 120 MW/480 MWh battery.',
        [{'type': 'solar', 'name': 'Cerro Azul hybrid plant', 'capacity_mw': 180.0, 'location': 'Taltal', 'status': 'commissioned', 'organisations': ['Andes Sol SpA']},
         {'type': 'battery_storage', 'name': 'Cerro Azul hybrid plant', 'capacity_mw': 120.0, 'storage_mwh': 480.0, 'location': 'Taltal', 'status': 'commissioned', 'organisations': ['Andes Sol SpA']}],
        id='hybrid_plant_typed_by_its_figures',
    ),
    pytest.param(
        None,
        'A hybrid project near Gadag is planned.',
        [],
        id='hybrid_without_its_technologies_gives_no_record',
    ),
    pytest.param(
        None,
        'Nordwind AG will build a 60 MW wind farm near Aurich in Lower Saxony.',
        [{'type': 'wind', 'capacity_mw': 60.0, 'location': 'Aurich', 'region': 'Lower Saxony', 'country': 'Germany', 'status': 'planned', 'organisations': ['Nordwind AG']}],
        id='english_name_of_a_region',  # pycountry writes "Niedersachsen"
    ),
    pytest.param(
        None,
        'Fen Storage Ltd will build a 49.9 MW battery near Heckington in Lincolnshire, England.',
        [{'type': 'battery_storage', 'capacity_mw': 49.9, 'location': 'Heckington', 'region': 'Lincolnshire', 'country': 'United Kingdom', 'status': 'planned', 'organisations': ['Fen Storage Ltd']}],
        id='english_county_gives_the_country',
    ),
    pytest.param(
        None,
        'Atlantic Wind will build a 100 MW wind farm near Belmullet in County Mayo.',
        [{'type': 'wind', 'capacity_mw': 100.0, 'location': 'Belmullet', 'admin_area': 'County Mayo', 'country': 'Ireland', 'status': 'planned', 'organisations': ['Atlantic Wind']}],
        id='irish_county_gives_the_country',
    ),
    pytest.param(
        None,
        'Tidewater Power will build a 100 MW solar farm near Norfolk, Virginia.',
        [{'type': 'solar', 'capacity_mw': 100.0, 'location': 'Norfolk', 'region': 'Virginia', 'country': 'United States', 'status': 'planned'}],
        id='english_county_name_in_another_country',
    ),
    pytest.param(
        None,
        'County Commissioners approved the 50 MW Prairie Rose solar farm near Fowler.',
        [{'type': 'solar', 'capacity_mw': 50.0, 'location': 'Fowler', 'status': 'planned'}],
        id='county_institutions_are_not_places',
    ),
    pytest.param(
        None,
        'The 120 MW Hollow Ridge wind farm near Medford will use turbines from Vestora (15 MW) and Nordkraft (14 MW).',
        [{'type': 'wind', 'capacity_mw': 120.0, 'location': 'Medford'}],
        id='suppliers_listed_with_ratings_are_not_places',
    ),
    pytest.param(
        None,
        'The Alpha wind farm near Tortkol and the Beta solar park near Saryagash were cancelled.',
        [{'type': 'wind', 'location': 'Tortkol', 'status': 'cancelled'}, {'type': 'solar', 'location': 'Saryagash', 'status': 'cancelled'}],
        id='one_cancellation_for_a_list_of_plants',
    ),
    pytest.param(
        None,
        'The region plans to abandon coal and will build the 80 MW Alpha solar park near Tortkol.',
        [{'type': 'solar', 'capacity_mw': 80.0, 'location': 'Tortkol', 'status': 'planned'}],
        id='abandoning_coal_is_not_cancelling_the_plant',
    ),
    pytest.param(
        None,
        'The utility operates the 1,000 MW Alpha pumped hydro-storage plant near Tortkol.',
        [{'type': 'hydro', 'capacity_mw': 1000.0, 'location': 'Tortkol', 'status': 'operational'}],
        id='pumped_hydro_storage_is_one_hydro_plant',
    ),
    pytest.param(
        None,
        'The county already hosts a 30 MW solar farm at Westmill, which has been generating since 2016, and a 20 MW battery at Ashby that was switched on last month.',
        [{'type': 'solar', 'capacity_mw': 30.0, 'location': 'Westmill', 'status': 'operational'},
         {'type': 'battery_storage', 'capacity_mw': 20.0, 'location': 'Ashby', 'status': 'commissioned'}],
        id='status_in_a_relative_clause_of_another_plant',
    ),
    pytest.param(
        None,
        'Construction of a 150 MW/600 MWh battery at Dimboola is now more than half complete.',
        [{'type': 'battery_storage', 'capacity_mw': 150.0, 'storage_mwh': 600.0, 'location': 'Dimboola', 'status': 'under_construction'}],
        id='half_complete_is_under_construction',
    ),
    pytest.param(
        None,
        'The company is also building a 25 MW geothermal power plant near Salihli.',
        [{'type': 'geothermal', 'capacity_mw': 25.0, 'location': 'Salihli', 'status': 'under_construction'}],
        id='is_also_building_is_under_construction',
    ),
    pytest.param(
        None,
        'Red Mesa Renewables LLC said its Coyote Flats Solar project in Pecos County has entered commercial operation.',
        [{'type': 'solar', 'name': 'Coyote Flats Solar project', 'location': 'Pecos County', 'status': 'commissioned', 'organisations': ['Red Mesa Renewables LLC']}],
        id='plant_named_like_a_company_before_its_type_noun',
    ),
    pytest.param(
        None,
        'The utility welcomed the start of commercial operation of the 60 MW Birch Hill wind project near Moncton.',
        [{'type': 'wind', 'capacity_mw': 60.0, 'location': 'Moncton', 'status': 'commissioned'}],
        id='start_of_commercial_operation_is_commissioned',  # not "operational" from "commercial operation"
    ),
    pytest.param(
        None,
        'Nordvind has submitted an environmental impact assessment programme for a 400 MW wind farm near Kalajoki.',
        [{'type': 'wind', 'capacity_mw': 400.0, 'location': 'Kalajoki', 'status': 'planned'}],
        id='environmental_impact_assessment_is_planned',
    ),
    pytest.param(
        None,
        'The developer is preparing a 45 MW wind project at Babadag, for which it obtained the grid connection approval in May.',
        [{'type': 'wind', 'capacity_mw': 45.0, 'location': 'Babadag', 'status': 'planned'}],
        id='connection_approval_is_planned',
    ),
    pytest.param(
        None,
        'The committee endorsed a proposal to formally drop the 300 MW coal-fired power plant at Rampal.',
        [{'type': 'coal', 'capacity_mw': 300.0, 'location': 'Rampal', 'status': 'cancelled'}],
        id='to_drop_a_plant_is_cancelled',
    ),
    pytest.param(
        None,
        'Work began on a photovoltaic plant of 120 MWac (160 MWp installed) near Roșiori, in Olt county.',
        [{'type': 'solar', 'capacity_mw': 120.0, 'location': 'Roșiori', 'admin_area': 'Olt county', 'status': 'under_construction'}],
        id='unit_before_a_bracketed_figure_is_not_a_place',
    ),
    pytest.param(
        None,
        'Uva Bio Power already runs a 4 MW dendro plant at Passara, which has been in operation since 2014.',
        [{'type': 'biomass', 'capacity_mw': 4.0, 'location': 'Passara', 'status': 'operational'}],
        id='dendro_plant_is_biomass',  # South Asian English for a wood-fuelled plant
    ),
    pytest.param(
        None,
        'Small hydropower plants with a capacity of 1.5 MW, 800 kW and 2.2 MW are being built in the Varzob, Rasht and Vahdat districts respectively.',
        [{'type': 'hydro', 'capacity_mw': 1.5, 'location': 'Varzob district', 'status': 'under_construction'},
         {'type': 'hydro', 'capacity_mw': 0.8, 'location': 'Rasht district', 'status': 'under_construction'},
         {'type': 'hydro', 'capacity_mw': 2.2, 'location': 'Vahdat district', 'status': 'under_construction'}],
        id='respectively_places_after_the_figures',
    ),
    pytest.param(
        None,
        'Two wind farms of 50 MW and 30 MW will be built at Kara-Dobo and Orlovka in the Chui region respectively.',
        [{'type': 'wind', 'capacity_mw': 50.0, 'location': 'Kara-Dobo', 'region': 'Chui region', 'status': 'planned'},
         {'type': 'wind', 'capacity_mw': 30.0, 'location': 'Orlovka', 'region': 'Chui region', 'status': 'planned'}],
        id='respectively_places_after_the_figures_share_their_region',
    ),
    pytest.param(
        None,
        'The national plan targets 4.3 GW of battery storage and 1.9 GW of pumped storage by 2030.',
        [],
        id='trap_pumped_storage_total_after_a_storage_target',  # not a battery of 1.9 GW
    ),
    pytest.param(
        None,
        'Work started on the 120 MW Alto de la Cruz solar park in Chile.',
        [{'type': 'solar', 'name': 'Alto de la Cruz solar park', 'capacity_mw': 120.0, 'location': 'Alto de la Cruz', 'country': 'Chile', 'status': 'under_construction'}],
        id='name_with_lowercase_particles',
    ),
    pytest.param(
        None,
        'Ministers refused consent for a 12-turbine wind farm on the moor above Dalwhinnie.',
        [{'type': 'wind', 'location': 'Dalwhinnie', 'status': 'cancelled'}],
        id='place_above_a_town',
    ),
    pytest.param(
        None,
        'Councillors gave the go-ahead to a 950kW run-of-river hydro scheme north of Lairg.',
        [{'type': 'hydro', 'capacity_mw': 0.95, 'location': 'Lairg', 'status': 'planned'}],
        id='go_ahead_is_planned',
    ),
    pytest.param(
        None,
        'In Truro, construction is under way on a 4,800-kilowatt community solar garden.',
        [{'type': 'solar', 'capacity_mw': 4.8, 'location': 'Truro', 'status': 'under_construction'}],
        id='sentence_opening_place_and_a_solar_garden',
    ),
    pytest.param(
        None,
        "Solar parks will be built in Rangpur's Pirganj upazila and Dinajpur's Birol upazila with capacities of 40MW and 20MW respectively.",
        [{'type': 'solar', 'capacity_mw': 40.0, 'location': 'Pirganj upazila', 'admin_area': 'Rangpur', 'status': 'planned'},
         {'type': 'solar', 'capacity_mw': 20.0, 'location': 'Birol upazila', 'admin_area': 'Dinajpur', 'status': 'planned'}],
        id='upazilas_owned_by_their_districts',  # "X's Y upazila": Y is the spot, X the area around it
    ),
    pytest.param(
        None,
        'A 12 MW solar plant is planned in the Sira tehsil of the state.',
        [{'type': 'solar', 'capacity_mw': 12.0, 'location': 'Sira tehsil', 'status': 'planned'}],
        id='tehsil_is_a_district',
    ),
    pytest.param(
        None,
        'The board signed an agreement for a wind farm in Puttalam. The wind farm, of around 40 MW, will be built at Kalpitiya in the Puttalam district.',
        [{'type': 'wind', 'capacity_mw': 40.0, 'location': 'Kalpitiya', 'admin_area': 'Puttalam district', 'status': 'planned'}],
        id='anaphor_names_the_spot_inside_the_area_written_first',
    ),
    pytest.param(
        None,
        'The administrator granted dispatch priority to Sol Cuyano S.A. for a solar park of up to 90 MWp in the Lavalle department of Mendoza.',
        [{'type': 'solar', 'capacity_mw': 90.0, 'location': 'Lavalle department', 'admin_area': 'Mendoza', 'status': 'planned'}],
        id='department_is_a_district',
    ),
    pytest.param(
        None,
        'The Energy Department approved a 20 MW solar plant in Nevada.',
        [{'type': 'solar', 'capacity_mw': 20.0, 'location': 'Nevada', 'status': 'planned'}],
        id='trap_a_capitalised_department_is_not_a_place',
    ),
    pytest.param(
        None,
        'Sunergy signed an agreement to build a 50 MW grid-connected solar plant in Osakarovka.',
        [{'type': 'solar', 'capacity_mw': 50.0, 'location': 'Osakarovka', 'status': 'planned'}],
        id='grid_connected_as_an_adjective_is_no_status',
    ),
    pytest.param(
        None,
        'The committee approved three grid-connected solar parks.\n\nThe parks will be built in Pirganj upazila, Birol upazila and Sadar upazila with capacities of 100MW, 50MW and 30MW respectively.',
        [{'type': 'solar', 'capacity_mw': 100.0, 'location': 'Pirganj upazila', 'status': 'planned'},
         {'type': 'solar', 'capacity_mw': 50.0, 'location': 'Birol upazila', 'status': 'planned'},
         {'type': 'solar', 'capacity_mw': 30.0, 'location': 'Sadar upazila', 'status': 'planned'}],
        id='plural_anaphor_individuates_a_counted_group',  # "three grid-connected solar parks ... The parks"
    ),
    pytest.param(
        None,
        'Nordtuuli said its 40 MW Haapasuo wind farm in Kalajoki had entered commercial operation. Work is under way at Haapasuo, where a 20 MW battery storage system is being installed beside the turbines.',
        [{'type': 'wind', 'capacity_mw': 40.0, 'location': 'Kalajoki', 'status': 'commissioned'},
         {'type': 'battery_storage', 'capacity_mw': 20.0, 'location': 'Kalajoki', 'status': 'under_construction'}],
        id='at_a_named_plant_is_at_its_place',  # "at Haapasuo" names the wind farm, not a place
    ),
    pytest.param(
        None,
        'Song Da Wind commissioned the 40 MW Phuoc Huu wind farm. It is now building two larger farms, near Tuy Phong in Binh Thuan province and Ninh Hai in Ninh Thuan province, with capacities of 80 MW and 120 MW respectively.',
        [{'type': 'wind', 'capacity_mw': 40.0, 'status': 'commissioned'},
         {'type': 'wind', 'capacity_mw': 80.0, 'location': 'Tuy Phong', 'admin_area': 'Binh Thuan province', 'status': 'under_construction'},
         {'type': 'wind', 'capacity_mw': 120.0, 'location': 'Ninh Hai', 'admin_area': 'Ninh Thuan province', 'status': 'under_construction'}],
        id='counted_generic_plants_are_new_plants_of_the_type_before',
    ),
    pytest.param(
        None,
        'Qazaq Hydro will build a 20 MW hydropower plant in Kegen. The company also plans two plants of 12 MW each in the Raiymbek and Uigur districts.',
        [{'type': 'hydro', 'capacity_mw': 20.0, 'location': 'Kegen', 'status': 'planned'},
         {'type': 'hydro', 'capacity_mw': 12.0, 'location': 'Raiymbek district', 'status': 'planned'},
         {'type': 'hydro', 'capacity_mw': 12.0, 'location': 'Uigur district', 'status': 'planned'}],
        id='two_plants_of_n_each_in_two_districts',
    ),
    pytest.param(
        None,
        'Qazaq Hydro commissioned a 20 MW hydropower plant in Kegen and a 10 MW plant in Shelek. Both plants cost $40 million.',
        [{'type': 'hydro', 'capacity_mw': 20.0, 'location': 'Kegen', 'status': 'commissioned'},
         {'type': 'hydro', 'capacity_mw': 10.0, 'location': 'Shelek', 'status': 'commissioned'}],
        id='trap_both_plants_refers_back',
    ),
    pytest.param(
        None,
        'A four-megawatt solar farm at Waipukurau was switched on last week.',
        [{'type': 'solar', 'capacity_mw': 4.0, 'capacity_value': 4.0, 'location': 'Waipukurau', 'status': 'commissioned'}],
        id='capacity_in_words_is_no_count',  # one farm of 5 MW, not five farms
    ),
    pytest.param(
        None,
        'Solar farms of more than 1MW still supply only a small share of the electricity, but the regulator expects utility-scale solar capacity to pass 1000MW by 2028.',
        [],
        id='trap_threshold_and_a_growing_stock',
    ),
    pytest.param(
        None,
        'The plan calls for adding 900 MW of wind and 600 MW / 2,400 megawatt-hours (MWh) of battery storage by 2032, along with 150 MW of demand response.',
        [],
        id='trap_storage_total_with_a_bracketed_unit',
    ),
    pytest.param(
        None,
        'The ministry will build three solar plants in the north. The plants will be built at Lawra in the Upper West Region, Nalerigu in the North East Region and Savelugu in the Northern Region, with capacities of 12MW, 18MW and 30MW respectively.',
        [{'type': 'solar', 'capacity_mw': 12.0, 'location': 'Lawra', 'admin_area': 'Upper West Region', 'country': 'Ghana', 'status': 'planned'},
         {'type': 'solar', 'capacity_mw': 18.0, 'location': 'Nalerigu', 'admin_area': 'North East Region', 'status': 'planned'},
         {'type': 'solar', 'capacity_mw': 30.0, 'location': 'Savelugu', 'admin_area': 'Northern Region', 'country': 'Ghana', 'status': 'planned'}],
        id='list_of_places_each_in_its_region_respectively',  # and "Northern Region" is Ghana's, not Malawi's
    ),
    pytest.param(
        None,
        "The district's first anaerobic digestion plant, a 2MW facility near Banagher, has been running since 2020.",
        [{'type': 'biogas', 'capacity_mw': 2.0, 'location': 'Banagher', 'status': 'operational'}],
        id='anaerobic_digestion_is_biogas',
    ),
    pytest.param(
        None,
        'Energo Resurs LLC has put into operation two gas-engine cogeneration plants with capacities of 8.4 MW and 4.5 MW in Uman and Fastiv respectively.',
        [{'type': 'gas', 'capacity_mw': 8.4, 'location': 'Uman', 'status': 'commissioned'},
         {'type': 'gas', 'capacity_mw': 4.5, 'location': 'Fastiv', 'status': 'commissioned'}],
        id='gas_piston_plants_are_gas',
    ),
    pytest.param(
        None,
        'Podillia Solar LLC is building a 15 MW solar power plant near Khmilnyk, together with an energy storage system of 5 MW/10 MWh.',
        [{'type': 'solar', 'capacity_mw': 15.0, 'location': 'Khmilnyk', 'status': 'under_construction'},
         {'type': 'battery_storage', 'capacity_mw': 5.0, 'storage_mwh': 10.0, 'location': 'Khmilnyk', 'status': 'under_construction'}],
        id='together_with_a_battery_is_no_combined_total',
    ),
    pytest.param(
        None,
        "Perak's largest solar farm to date has begun feeding the grid, its owner said of the 30MWac plant near Kuala Kangsar.",
        [{'type': 'solar', 'capacity_mw': 30.0, 'location': 'Kuala Kangsar', 'status': 'commissioned'}],
        id='to_date_is_no_future',
    ),
    pytest.param(
        None,
        'The utility started building two photovoltaic parks of 8 MWp each near Vrchlabí and Jilemnice in the Hradec nad Orlicí Region.',
        [{'type': 'solar', 'capacity_mw': 8.0, 'location': 'Vrchlabí', 'admin_area': 'Hradec nad Orlicí Region', 'status': 'under_construction'},
         {'type': 'solar', 'capacity_mw': 8.0, 'location': 'Jilemnice', 'admin_area': 'Hradec nad Orlicí Region', 'status': 'under_construction'}],
        id='region_name_with_a_lowercase_particle',
    ),
    pytest.param(
        None,
        'Construction of a small hydropower plant on the Kokomeren river is 45 percent completed.',
        [{'type': 'hydro', 'location': 'Kokomeren river', 'status': 'under_construction'}],
        id='percent_completed_is_under_construction',
    ),
    pytest.param(
        None,
        'The company has received a licence from the regulator for a 15 MW solar plant in Soroti District.',
        [{'type': 'solar', 'capacity_mw': 15.0, 'location': 'Soroti District', 'status': 'planned'}],
        id='a_licence_is_planned',
    ),
    pytest.param(
        None,
        'Meanwhile, work continues on the 150MW Sesan Upper hydropower dam on the Sesan River.',
        [{'type': 'hydro', 'capacity_mw': 150.0, 'location': 'Sesan River', 'status': 'under_construction'}],
        id='work_continues_on_is_under_construction',
    ),
    pytest.param(
        None,
        'Work is under way on a 99kW community hydro scheme on the River Teifi, led by a society based in the village of Llandysul.',
        [{'type': 'hydro', 'capacity_mw': 0.099, 'location': 'River Teifi', 'status': 'under_construction'}],
        id='river_first_and_a_society_based_in_a_village',  # Llandysul is where the society is, not the scheme
    ),
    pytest.param(
        None,
        'The developer has begun construction of a 60 MW/240 MWh battery at the Westpoort industrial area in Delfzijl.',
        [{'type': 'battery_storage', 'capacity_mw': 60.0, 'location': 'Westpoort industrial area', 'admin_area': 'Delfzijl', 'status': 'under_construction'}],
        id='industrial_area_is_a_place',
    ),
    pytest.param(
        None,
        'The operator authorised the commercial operation of the Central Solar Pampa Blanca, a 180 MWac photovoltaic plant in the Majes district.',
        [{'type': 'solar', 'name': 'Central Solar Pampa Blanca', 'capacity_mw': 180.0, 'location': 'Majes district', 'status': 'commissioned'}],
        id='plant_name_opening_with_its_type_and_an_apposition',  # one plant, no organisation "Central Solar"
    ),
    pytest.param(
        None,
        'Output from the 96 MW Windpark Hoge Veld near Emmeloord rose 6% last year.',
        [{'type': 'wind', 'name': 'Windpark Hoge Veld', 'capacity_mw': 96.0, 'location': 'Emmeloord', 'status': 'operational'}],
        id='dutch_windpark_name',
    ),
    pytest.param(
        None,
        'Villages in Latur district got daytime power after three solar plants were switched on on Monday.\n\nThe plants, at Murud in Latur taluka, Kasar Balkunda in Nilanga taluka and Shirur in Udgir taluka, have capacities of 5 MW, 7.5 MW and 12 MW respectively.',
        [{'type': 'solar', 'capacity_mw': 5.0, 'location': 'Murud', 'admin_area': 'Latur taluka', 'status': 'commissioned'},
         {'type': 'solar', 'capacity_mw': 7.5, 'location': 'Kasar Balkunda', 'admin_area': 'Nilanga taluka', 'status': 'commissioned'},
         {'type': 'solar', 'capacity_mw': 12.0, 'location': 'Shirur', 'admin_area': 'Udgir taluka', 'status': 'commissioned'}],
        id='plural_anaphor_replaces_the_group_it_individuates',  # three plants, not six; the status carries over
    ),
    pytest.param(
        None,
        'The Central Solar Llano Alto was commissioned last year.',
        [{'type': 'solar', 'name': 'Central Solar Llano Alto', 'location': 'Llano Alto', 'status': 'commissioned'}],
        id='plant_named_type_first_without_a_place_takes_its_name',  # not "Central"
    ),
    pytest.param(
        None,
        'Acme commissioned the 50 MW Parque Eólico Los Llanos last year.',
        [{'type': 'wind', 'name': 'Parque Eólico Los Llanos', 'capacity_mw': 50.0, 'status': 'commissioned'}],
        id='plant_named_type_first_ending_in_s_is_one_plant',
    ),
    pytest.param(
        None,
        'Acme commissioned a 30 MW solar plant in Kozani last year. The company, which also operates a wind farm in Kastoria, plans a 50 MW plant in Florina.',
        [{'type': 'solar', 'capacity_mw': 30.0, 'location': 'Kozani', 'status': 'commissioned'},
         {'type': 'wind', 'capacity_mw': None, 'location': 'Kastoria', 'status': 'operational'},
         {'type': 'solar', 'capacity_mw': 50.0, 'location': 'Florina', 'status': 'planned'}],
        id='trap_a_figure_less_plant_earlier_in_the_sentence_is_not_restated',
    ),
    pytest.param(
        None,
        'Acme commissioned the 30 MW Alpha Ridge solar park, a 50 MW solar plant in Kozani and a 20 MW wind farm in Florina.',
        [{'type': 'solar', 'name': 'Alpha Ridge solar park', 'capacity_mw': 30.0, 'status': 'commissioned'},
         {'type': 'solar', 'capacity_mw': 50.0, 'location': 'Kozani', 'status': 'commissioned'},
         {'type': 'wind', 'capacity_mw': 20.0, 'location': 'Florina', 'status': 'commissioned'}],
        id='trap_a_list_after_a_named_plant_is_no_apposition',
    ),
    pytest.param(
        None,
        'Acme will expand its solar plant in Kozani, whose capacity will reach 120 MW next year.',
        [{'type': 'solar', 'capacity_mw': 120.0, 'location': 'Kozani'}],
        id='a_plants_own_capacity_growing_is_its_figure',
    ),
    pytest.param(
        None,
        'The Energy department approved a 20 MW solar plant in Nevada.',
        [{'type': 'solar', 'capacity_mw': 20.0, 'location': 'Nevada', 'status': 'planned'}],
        id='trap_a_lowercase_government_department_is_not_a_place',
    ),
    pytest.param(
        None,
        'The company will install a 3 MW solar plant in Kozani with a five megawatt-hour battery.',
        [{'type': 'solar', 'capacity_mw': 3.0, 'location': 'Kozani', 'status': 'planned'}],
        id='trap_energy_in_words_is_not_power',
    ),
    pytest.param(
        None,
        'Acme plans to drop the tariff charged by its 50 MW solar plant in Kozani.',
        [{'type': 'solar', 'capacity_mw': 50.0, 'location': 'Kozani', 'status': 'planned'}],
        id='trap_dropping_a_tariff_cancels_no_plant',
    ),
    pytest.param(
        None,
        'The ministry granted a concession for a run-of-river plant of between 14 and 19 MW on the Mantaro river.',
        [{'type': 'hydro', 'capacity_mw': None, 'capacity_range': [14.0, 19.0], 'capacity_qualifier': 'range', 'location': 'Mantaro river'}],
        id='range_between_and_is_a_range',
    ),
    pytest.param(
        None,
        'Construction of a 60 MWp solar farm in the town of Kalibo is now 40 percent complete, while a hydropower project upstream in Madalag has secured its service contract.',
        [{'type': 'solar', 'capacity_mw': 60.0, 'location': 'Kalibo', 'status': 'under_construction'},
         {'type': 'hydro', 'location': 'Madalag', 'status': 'planned'}],
        id='progress_in_another_plants_clause_is_its_own',  # "..., while B has secured its service contract"
    ),
    pytest.param(
        None,
        'Najd Power today announced financial close for the 300 MW Al Khurma solar plant and the start of full construction on site.',
        [{'type': 'solar', 'capacity_mw': 300.0, 'status': 'under_construction'}],
        id='start_of_full_construction_is_under_construction',
    ),
    pytest.param(
        None,
        'Tavria Wind is building the 48 MW Dolyna and 36 MW Kamyanka wind farms in the Kherson region.',
        [{'type': 'wind', 'name': 'Dolyna wind farm', 'capacity_mw': 48.0, 'location': 'Dolyna', 'status': 'under_construction'},
         {'type': 'wind', 'name': 'Kamyanka wind farm', 'capacity_mw': 36.0, 'location': 'Kamyanka', 'status': 'under_construction'}],
        id='coordinated_names_before_a_plural_plant_noun_are_one_plant_each',
    ),
    pytest.param(
        None,
        'The Upper Suusamyr, Kokomeren 2 and Chichkan hydropower plants were commissioned in 2019.',
        [{'type': 'hydro', 'name': 'Upper Suusamyr hydropower plant', 'status': 'commissioned'},
         {'type': 'hydro', 'name': 'Kokomeren 2 hydropower plant', 'status': 'commissioned'},
         {'type': 'hydro', 'name': 'Chichkan hydropower plant', 'status': 'commissioned'}],
        id='three_coordinated_names_with_commas',
    ),
    pytest.param(
        None,
        'The Dolyna and Kamyanka wind farms, with capacities of 48 MW and 36 MW respectively, were commissioned.',
        [{'type': 'wind', 'location': 'Dolyna', 'capacity_mw': 48.0, 'status': 'commissioned'},
         {'type': 'wind', 'location': 'Kamyanka', 'capacity_mw': 36.0, 'status': 'commissioned'}],
        id='coordinated_names_with_figures_respectively',
    ),
    pytest.param(
        None,
        'The Dolyna wind farm and the Kamyanka wind farm, of 50 MW each, were commissioned on Friday.',
        [{'type': 'wind', 'location': 'Dolyna', 'capacity_mw': 50.0, 'status': 'commissioned'},
         {'type': 'wind', 'location': 'Kamyanka', 'capacity_mw': 50.0, 'status': 'commissioned'}],
        id='each_after_listed_plants_is_each_ones',
    ),
    pytest.param(
        None,
        'A 20 MW solar plant in Dolyna and a wind farm of 30 MW each were approved.',
        [{'type': 'solar', 'capacity_mw': 20.0, 'status': 'planned'}, {'type': 'wind', 'capacity_mw': 30.0, 'status': 'planned'}],
        id='each_is_not_shared_across_types',  # trap: the solar plant keeps its own figure
    ),
    pytest.param(
        None,
        'Investors are eyeing the Kazakh and Uzbek wind farms tendered this year.',
        [],
        id='demonyms_before_a_plural_plant_noun_name_no_plants',  # trap
    ),
    pytest.param(
        None,
        'Severni Energie will build a 45 MW wind farm near the town of Most by 2027.',
        [{'type': 'wind', 'capacity_mw': 45.0, 'location': 'Most', 'status': 'planned', 'target_year': 2027,
          'organisations': ['Severni Energie']}],
        id='town_named_like_a_stop_word_after_town_of',
    ),
    pytest.param(
        None,
        'Savanna Volt Ltd switched on a 20 MW solar plant in Ongino village in Amuria District on Friday. '
        'Officials discussed the tariff at length. The company said it would add a 10 MW/20 MWh battery on the same site next year.',
        [{'type': 'solar', 'capacity_mw': 20.0, 'location': 'Ongino village', 'admin_area': 'Amuria District', 'status': 'commissioned', 'organisations': ['Savanna Volt Ltd']},
         {'type': 'battery_storage', 'capacity_mw': 10.0, 'storage_mwh': 20.0, 'location': 'Ongino village', 'admin_area': 'Amuria District', 'status': 'planned'}],
        id='battery_on_the_same_site_is_at_the_plant_before',
    ),
    pytest.param(
        None,
        'Altiplano Solar commissioned the Pampa Roja solar plant in the Majes district. A 50 MW wind farm is being built in the Ica region. '
        'Altiplano Solar also plans a battery system of 60 MW/240 MWh at the Pampa Roja site.',
        [{'type': 'solar', 'location': 'Majes district', 'status': 'commissioned'},
         {'type': 'wind', 'capacity_mw': 50.0, 'location': 'Ica region', 'status': 'under_construction'},
         {'type': 'battery_storage', 'capacity_mw': 60.0, 'storage_mwh': 240.0, 'location': 'Majes district', 'status': 'planned'}],
        id='battery_at_the_named_plants_site_is_at_that_plant',
    ),
    pytest.param(
        None,
        'The 800 kW biogas plant at the Pentrefelin waste site near Llanelli, run by Glas Ynni Ltd, has been turning slurry into electricity since 2017.',
        [{'type': 'biogas', 'capacity_mw': 0.8, 'location': 'Pentrefelin waste site', 'status': 'operational', 'organisations': ['Glas Ynni Ltd']}],
        id='been_verbing_since_a_year_is_operational_and_a_waste_site_is_a_place',
    ),
    pytest.param(
        None,
        'The biomass plant near Kuala Krai, which has been burning palm fruit bunches since 2015, has a capacity of 10 MW.',
        [{'type': 'biomass', 'capacity_mw': 10.0, 'location': 'Kuala Krai', 'status': 'operational'}],
        id='operational_inside_a_relative_clause',
    ),
    pytest.param(
        None,
        'Its only asset is a 650kW rooftop solar system on a bottling plant in Tema, which has been in service since 2021.',
        [{'type': 'solar', 'capacity_mw': 0.65, 'location': 'Tema', 'status': 'operational'}],
        id='rooftop_solar_system',
    ),
    pytest.param(
        None,
        'A 9 MWp rooftop solar system at the Karnaphuli Export Processing Zone was inaugurated on Sunday.',
        [{'type': 'solar', 'capacity_mw': 9.0, 'location': 'Karnaphuli Export Processing Zone', 'status': 'commissioned'}],
        id='export_processing_zone_is_a_place',
    ),
    pytest.param(
        None,
        'The solar system has eight planets, and a PV system of some kind powers the probe.',
        [],
        id='bare_solar_system_is_no_plant',  # trap
    ),
    pytest.param(
        None,
        'The Kelbek-1 and Kelbek-2 small hydropower plants, with a capacity of 6.2 MW each, were put into operation on the Terter river.',
        [{'type': 'hydro', 'name': 'Kelbek-1 small hydropower plant', 'capacity_mw': 6.2, 'location': 'Terter river', 'status': 'commissioned'},
         {'type': 'hydro', 'name': 'Kelbek-2 small hydropower plant', 'capacity_mw': 6.2, 'location': 'Terter river', 'status': 'commissioned'}],
        id='names_before_a_size_word_and_each',
    ),
    pytest.param(
        'Two small hydropower plants launched in Kelbek, Gobu wind farm 60 percent ready',
        'Two small hydropower plants launched in Kelbek, Gobu wind farm 60 percent ready\n\n'
        'The Kelbek-1 and Kelbek-2 small hydropower plants, of 6.2 MW each, were put into operation in Kelbek district on Monday. '
        'Construction of the 90 MW wind farm near the village of Gobu is 60 percent complete.',
        [{'type': 'hydro', 'capacity_mw': 6.2, 'location': 'Kelbek district', 'status': 'commissioned'},
         {'type': 'hydro', 'capacity_mw': 6.2, 'location': 'Kelbek district', 'status': 'commissioned'},
         {'type': 'wind', 'capacity_mw': 90.0, 'location': 'Gobu', 'status': 'under_construction'}],
        id='a_headline_repeating_the_body_gives_no_plants_of_its_own',
    ),
    pytest.param(
        'Solar park opened in Zarafshan',
        'Solar park opened in Zarafshan\n\nThe plant, built by Navoi Quyosh LLC, was opened on Friday.',
        [{'type': 'solar', 'location': 'Zarafshan', 'status': 'commissioned', 'organisations': ['Navoi Quyosh LLC']}],
        id='a_plant_only_the_headline_types_stays',
    ),
    pytest.param(
        None,
        'The Sary-Bel, Kok-Tash and Ak-Kyia small HPPs, with capacities of 8 MW, 11 MW and 4.5 MW respectively, will be built by 2027. '
        'The Sary-Bel plant is located near the village of Ortok in Toguz-Toro district and the Kok-Tash plant near the village of Kazarman '
        'in Toguz-Toro district, while the Ak-Kyia HPP will be built near the village of Tosor in Ton district.',
        [{'type': 'hydro', 'capacity_mw': 8.0, 'location': 'Ortok', 'status': 'planned', 'target_year': 2027},
         {'type': 'hydro', 'capacity_mw': 11.0, 'location': 'Kazarman', 'status': 'planned', 'target_year': 2027},
         {'type': 'hydro', 'capacity_mw': 4.5, 'location': 'Tosor', 'status': 'planned', 'target_year': 2027}],
        id='several_named_plants_placed_in_one_sentence_each_take_their_own',
    ),
    pytest.param(
        None,
        'Gobi Wind LLC will build wind power plants in Tsogt soum and Bayan soum of Govi-Altai aimag with capacities of 20 MW and 40 MW respectively.',
        [{'type': 'wind', 'capacity_mw': 20.0, 'location': 'Tsogt soum', 'admin_area': 'Govi-Altai aimag', 'status': 'planned', 'organisations': ['Gobi Wind LLC']},
         {'type': 'wind', 'capacity_mw': 40.0, 'location': 'Bayan soum', 'admin_area': 'Govi-Altai aimag', 'status': 'planned', 'organisations': ['Gobi Wind LLC']}],
        id='soums_of_an_aimag_respectively',
    ),
    pytest.param(
        None,
        'Construction of a battery storage station with a capacity of 60 MW/150 MWh in Mandalgovi, the centre of the aimag, has reached 55 percent.',
        [{'type': 'battery_storage', 'capacity_mw': 60.0, 'storage_mwh': 150.0, 'location': 'Mandalgovi', 'status': 'under_construction'}],
        id='construction_has_reached_n_percent',
    ),
    pytest.param(
        None,
        '- The 8 MW rice husk-fired biomass power plant in Rattanaburi district: overall progress of 72%; COD is expected in Q3/2027.',
        [{'type': 'biomass', 'capacity_mw': 8.0, 'location': 'Rattanaburi district', 'status': 'under_construction', 'target_year': 2027}],
        id='progress_of_n_percent_and_a_quarter_is_no_place',
    ),
    pytest.param(
        None,
        'The board resolved to withdraw from the 36 MW wind project in Sumba Barat Regency after the off-taker failed to sign.',
        [{'type': 'wind', 'capacity_mw': 36.0, 'location': 'Sumba Barat Regency', 'status': 'cancelled'}],
        id='withdraw_from_is_cancelled',
    ),
    pytest.param(
        None,
        'The agreement on a 20 MW biomass power plant in Balakan district, which was to burn walnut shells, was annulled.',
        [{'type': 'biomass', 'capacity_mw': 20.0, 'location': 'Balakan district', 'status': 'cancelled'}],
        id='annulled_is_cancelled',
    ),
    pytest.param(
        None,
        'Siam Cogen 2, a 110 MW gas-fired cogeneration power plant in Rayong province, underwent a planned major overhaul of 18 days in May.',
        [{'type': 'gas', 'capacity_mw': 110.0, 'location': 'Rayong province', 'status': 'operational'}],
        id='a_planned_overhaul_is_no_planned_plant',  # trap
    ),
    pytest.param(
        None,
        'The 58 MW Banat Vetar wind farm in the municipality of Alibunar received its operating permit and began delivering power on Monday.',
        [{'type': 'wind', 'capacity_mw': 58.0, 'location': 'Alibunar', 'status': 'commissioned'}],
        id='an_operating_permit_is_no_operating_cue',
    ),
    pytest.param(
        None,
        'Battery storage capacity connected to the grid has grown to 350 MW/500 MWh, spread over some 20 sites.',
        [],
        id='battery_storage_capacity_is_a_stock',  # trap
    ),
    pytest.param(
        None,
        'Grid conditions were issued for 1.2 GW of battery storage. The tender allocated 250 MW of support to four projects at EUR 41/MWh.',
        [],
        id='counted_projects_of_no_kind_place_or_figure',  # trap
    ),
    pytest.param(
        None,
        'The 30 MW fuel oil-fired reserve power station in Ordubad district, in operation since 2004, will be converted to gas.',
        [{'type': 'oil', 'capacity_mw': 30.0, 'location': 'Ordubad district', 'status': 'operational'}],
        id='reserve_power_station',
    ),
    pytest.param(
        None,
        'Construction of the Tinghir solar complex is about 60% complete. The 300 MWac plant, paired with a 100 MW/400 MWh battery, will deliver first power in 2027.',
        [{'type': 'solar', 'status': 'under_construction'},
         {'type': 'battery_storage', 'capacity_mw': 100.0, 'storage_mwh': 400.0, 'status': 'planned', 'target_year': 2027}],
        id='a_battery_takes_its_own_premodifier_not_a_figure_written_earlier',  # (the complex's 300 MWac is lost)
    ),
    pytest.param(
        None,
        'Adriatik Solar sh.p.k. will build a 60 MWac solar plant near Fushe-Kruje and Kruja Energji sh.p.k. a plant of about 40 MW near Mamurras.',
        [{'type': 'solar', 'capacity_mw': 60.0, 'location': 'Fushe-Kruje', 'status': 'planned'},
         {'type': 'solar', 'capacity_mw': 40.0, 'capacity_qualifier': 'around', 'location': 'Mamurras', 'status': 'planned'}],
        id='a_plant_of_n_mw_coordinated_after_a_typed_one_and_dotted_legal_forms',
    ),
    pytest.param(
        None,
        'The county will start feeding geothermal electricity into the grid in 2027. Menengai Steam Ltd has drilled nine wells at Silali, '
        'and construction of the 40MW power plant is now 45 percent complete.',
        [{'type': 'geothermal', 'capacity_mw': 40.0, 'location': 'Silali', 'status': 'under_construction', 'target_year': 2027,
          'organisations': ['Menengai Steam Ltd']}],
        id='a_plant_without_a_technology_word_takes_the_one_written_before',
    ),
    pytest.param(
        None,
        'The council approved the budget on Monday, and construction of the 40MW power plant is now 45 percent complete.',
        [],
        id='a_plant_without_any_technology_written_is_no_record',  # trap
    ),
    pytest.param(
        None,
        'A 400 kilowatt biogas generator at a dairy at Allora, in the Southern Downs Region, was switched on last week.',
        [{'type': 'biogas', 'capacity_mw': 0.4, 'location': 'Allora', 'status': 'commissioned'}],
        id='biogas_generator',
    ),
    pytest.param(
        None,
        'The minister laid the foundation stone of two photovoltaic plants of 40 MW each in the delegations of Sbiba and Jedliane, Kasserine governorate.',
        [{'type': 'solar', 'capacity_mw': 40.0, 'location': 'Sbiba delegation', 'admin_area': 'Kasserine governorate', 'status': 'under_construction'},
         {'type': 'solar', 'capacity_mw': 40.0, 'location': 'Jedliane delegation', 'admin_area': 'Kasserine governorate', 'status': 'under_construction'}],
        id='delegations_and_a_foundation_stone',
    ),
    pytest.param(
        None,
        'Works on the 120 MW gas turbine power plant at Mdhilla, Gafsa governorate, have reached 48 percent.',
        [{'type': 'gas', 'capacity_mw': 120.0, 'location': 'Mdhilla', 'status': 'under_construction'}],
        id='works_have_reached_n_percent',
    ),
    pytest.param(
        None,
        'Delta Valley Power says its 900-megawatt natural gas plant in Wayne Township is about 35 percent built.',
        [{'type': 'gas', 'capacity_mw': 900.0, 'location': 'Wayne Township', 'status': 'under_construction', 'organisations': ['Delta Valley Power']}],
        id='n_percent_built',
    ),
    pytest.param(
        None,
        'The board denied a certificate for Cedar Fork Solar, a 90-megawatt project in Darby Township.',
        [{'type': 'solar', 'capacity_mw': 90.0, 'location': 'Darby Township', 'status': 'cancelled'}],
        id='denied_a_certificate_is_cancelled',
    ),
    pytest.param(
        None,
        'The Storberget wind farm in Ragunda Municipality was taken into commercial operation in September.',
        [{'type': 'wind', 'location': 'Ragunda Municipality', 'status': 'commissioned'}],
        id='taken_into_commercial_operation',
    ),
    pytest.param(
        None,
        'Al Qatrana Nuclear Company has completed site studies for a small modular reactor plant of up to 200 MW in Qatrana district.',
        [{'type': 'nuclear', 'capacity_mw': 200.0, 'capacity_qualifier': 'up to', 'location': 'Qatrana district', 'status': 'planned'}],
        id='completed_studies_are_no_completed_plant',  # trap
    ),
    pytest.param(
        None,
        'The 2.1 MW landfill gas power plant at the Hrazdan landfill, operated by Kotayk Biogas CJSC since 2014, sells to the grid.',
        [{'type': 'biogas', 'capacity_mw': 2.1, 'location': 'Hrazdan landfill', 'status': 'operational', 'organisations': ['Kotayk Biogas CJSC']}],
        id='landfill_gas_is_biogas_and_a_unit_is_no_place',
    ),
    pytest.param(
        None,
        'A 30 MW/30 MWh battery at the Ockelbo substation is under construction.',
        [{'type': 'battery_storage', 'capacity_mw': 30.0, 'storage_mwh': 30.0, 'location': 'Ockelbo', 'status': 'under_construction'}],
        id='a_substation_is_a_place',
    ),
    pytest.param(
        None,
        'The Cerro Alto and La Loma wind farms, in the municipalities of Cotoca and Warnes, entered commercial operation with 40MW and 30MW respectively.',
        [{'type': 'wind', 'capacity_mw': 40.0, 'location': 'Cotoca municipality', 'status': 'commissioned'},
         {'type': 'wind', 'capacity_mw': 30.0, 'location': 'Warnes municipality', 'status': 'commissioned'}],
        id='coordinated_names_take_a_list_of_places_in_order',
    ),
    pytest.param(
        None,
        'The cabinet approved the Monte Rosso wind farm: eight turbines of 6 MW each, for a total of 48 MW, in the municipality of Irsina.',
        [{'type': 'wind', 'capacity_mw': 48.0, 'location': 'Irsina', 'status': 'planned'}],
        id='a_total_of_one_plants_turbines_is_its_capacity',
    ),
    pytest.param(
        None,
        'The two wind farms will have 20 turbines of 3 MW each, for a total of 60 MW.',
        [{'type': 'wind', 'status': 'planned'}, {'type': 'wind', 'status': 'planned'}],
        id='a_total_of_two_plants_turbines_is_neither_ones',  # trap
    ),
    pytest.param(
        None,
        'The minister inaugurated a solar power plant with a capacity of 40 megawatts in the Mafraq Development Area in Mafraq governorate.',
        [{'type': 'solar', 'capacity_mw': 40.0, 'location': 'Mafraq Development Area', 'status': 'commissioned'}],
        id='a_development_area_is_a_place_not_an_organisation',
    ),
    pytest.param(
        None,
        'Pickaway County already has 300 megawatts of solar, including the 60-megawatt Scioto Bend Solar in Wayne Township, which has operated since 2022.',
        [{'type': 'solar', 'name': 'Scioto Bend Solar', 'capacity_mw': 60.0, 'location': 'Wayne Township', 'status': 'operational'}],
        id='a_plant_named_with_its_technology_last_after_a_figure',
    ),
    pytest.param(
        None,
        'In Darke County, a 0.9-megawatt digester owned by Stillwater Dairy LLC in Allen Township began sending power to the grid last month.',
        [{'type': 'biogas', 'capacity_mw': 0.9, 'location': 'Allen Township', 'admin_area': 'Darke County', 'status': 'commissioned',
          'organisations': ['Stillwater Dairy LLC']}],
        id='a_digester_and_a_county_that_is_no_organisation',
    ),
    pytest.param(
        None,
        'Tarquinia Agrisolare Srl received the decree for a 24 MWp agrivoltaic plant in the municipality of Montalto di Castro.',
        [{'type': 'solar', 'capacity_mw': 24.0, 'status': 'unknown'}],
        id='agrivoltaic_plant',
    ),
    pytest.param(
        None,
        'The digester at the farm was cleaned on Monday.',
        [],
        id='a_digester_without_a_figure_is_no_record',  # trap
    ),
    pytest.param(
        None,
        'The 30 MW Ayrobera geothermal plant was commissioned in March. A third solar site offered in the same round, a 80 MW plant at Dewele, was dropped.',
        [{'type': 'geothermal', 'capacity_mw': 30.0, 'status': 'commissioned'},
         {'type': 'solar', 'capacity_mw': 80.0, 'location': 'Dewele', 'status': 'cancelled'}],
        id='a_generic_plant_takes_the_technology_its_sentence_writes_first',
    ),
    pytest.param(
        None,
        'Savannah Sun Limited received a licence for a 50MWac solar plant in Bichi LGA, Kano State.',
        [{'type': 'solar', 'capacity_mw': 50.0, 'location': 'Bichi LGA', 'admin_area': 'Kano State', 'status': 'planned',
          'organisations': ['Savannah Sun Limited']}],
        id='a_local_government_area_written_lga',
    ),
    pytest.param(
        None,
        'Baltyk Wiatr sp. z o.o. has put into operation the 36 MW Rowy wind farm in gmina Ustka (Slupsk county, Pomeranian Voivodeship).',
        [{'type': 'wind', 'capacity_mw': 36.0, 'location': 'gmina Ustka', 'status': 'commissioned'}],
        id='gmina_before_its_name',
    ),
    pytest.param(
        None,
        'The department issued clearances for two run-of-river hydropower plants of 12 MW each on the Abra River.',
        [{'type': 'hydro', 'capacity_mw': 12.0, 'location': 'Abra River', 'status': 'unknown'},
         {'type': 'hydro', 'capacity_mw': 12.0, 'location': 'Abra River', 'status': 'unknown'}],
        id='two_run_of_river_plants_are_counted',
    ),
    pytest.param(
        None,
        "Moffat's 8MW wood-fuelled combined heat and power plant supplies the sawmill.",
        [{'type': 'biomass', 'capacity_mw': 8.0, 'status': 'operational'}],
        id='a_wood_fuelled_chp_is_biomass',
    ),
    pytest.param(
        'Poland weekly: Baltic wind farm online, Turek storage plan shelved',
        'A new wind farm on the coast and a shelved storage plan: our weekly look at the market.\n\n'
        'Poland weekly: Baltic wind farm online, Turek storage plan shelved\n\n'
        'Baltyk Wiatr has put into operation the 36 MW Rowy wind farm in gmina Ustka.',
        [{'type': 'wind', 'capacity_mw': 36.0, 'location': 'gmina Ustka', 'status': 'commissioned'}],
        id='a_headline_after_a_standfirst_repeats_the_body',
    ),
    pytest.param(
        None,
        'Ministers approved a wind farm in the hills above Moniaive. The Glenquhargen Wind Farm, proposed by Cairn Power Ltd, will have 12 turbines '
        'and a generating capacity of up to 72MW.',
        [{'type': 'wind', 'name': 'Glenquhargen Wind Farm', 'capacity_mw': 72.0, 'location': 'Moniaive', 'status': 'planned'}],
        id='a_plant_written_next_under_a_name_is_the_one_before',
    ),
    pytest.param(
        None,
        'The committee voted seven to four to reject the 30MW battery energy storage system proposed east of Castle Douglas.',
        [{'type': 'battery_storage', 'capacity_mw': 30.0, 'location': 'Castle Douglas', 'status': 'cancelled'}],
        id='voted_to_reject_is_cancelled',
    ),
    pytest.param(
        None,
        'Ikeja Storage Limited got a licence for a 40MW/80MWh battery storage system in Epe LGA, Lagos State.',
        [{'type': 'battery_storage', 'capacity_mw': 40.0, 'storage_mwh': 80.0, 'location': 'Epe LGA', 'status': 'planned',
          'organisations': ['Ikeja Storage Limited']}],
        id='got_a_licence_is_planned',
    ),
    pytest.param(
        None,
        'The developer disclosed two wind farms of 150 MW each, one near Sweetwater in Nolan County and the other outside Roby in Fisher County.',
        [{'type': 'wind', 'capacity_mw': 150.0, 'location': 'Sweetwater', 'admin_area': 'Nolan County'},
         {'type': 'wind', 'capacity_mw': 150.0, 'location': 'Roby', 'admin_area': 'Fisher County'}],
        id='one_near_a_and_the_other_near_b',
    ),
    pytest.param(
        None,
        'Karadag Enerji inaugurated a 60-megawatt wind farm in the Bayramic district on Saturday. '
        'The Tepekoy Wind Power Plant consists of 10 turbines of 6 MW each.',
        [{'type': 'wind', 'name': 'Tepekoy Wind Power Plant', 'capacity_mw': 60.0, 'location': 'Bayramic district', 'status': 'commissioned'}],
        id='a_plant_named_in_the_next_sentence_is_the_one_before',
    ),
    pytest.param(
        None,
        'A second proposal, for a 10 MW wind farm at Morwenstow, was withdrawn. The nearby Cleave wind farm, which has operated since 2011, is unaffected.',
        [{'type': 'wind', 'capacity_mw': 10.0, 'location': 'Morwenstow', 'status': 'cancelled'},
         {'type': 'wind', 'name': 'Cleave wind farm', 'location': 'Cleave', 'status': 'operational'}],
        id='the_nearby_named_plant_is_another',  # trap
    ),
    pytest.param(
        None,
        'Vindkraft Nord rejects claims that its 600 MW offshore wind farm near Hirtshals is behind schedule.',
        [{'type': 'wind', 'capacity_mw': 600.0, 'location': 'Hirtshals'}],
        id='rejecting_claims_cancels_nothing',  # trap
    ),
    pytest.param(
        None,
        'The government will withdraw from the coal phase-out pact, while the 400 MW gas plant in Wigan remains under construction.',
        [{'type': 'gas', 'capacity_mw': 400.0, 'location': 'Wigan', 'status': 'under_construction'}],
        id='withdrawing_from_a_pact_cancels_no_plant',  # trap
    ),
    pytest.param(
        None,
        'The governor called for an overhaul of the rules that have held up the 200 MW Beta solar farm in Elko.',
        [{'type': 'solar', 'capacity_mw': 200.0, 'location': 'Elko'}],
        id='an_overhaul_of_rules_says_nothing_of_the_plant',  # trap
    ),
    pytest.param(
        None,
        'The company applied for an operating permit for the 30 MW biogas plant in Celle.',
        [{'type': 'biogas', 'capacity_mw': 30.0, 'location': 'Celle', 'status': 'planned'}],
        id='applying_for_an_operating_permit_is_planned',  # trap
    ),
    pytest.param(
        None,
        'Construction of the office tower reached 50 percent, while the 20 MW solar plant next to it in Thika started operations.',
        [{'type': 'solar', 'capacity_mw': 20.0, 'location': 'Thika', 'status': 'commissioned'}],
        id='another_buildings_progress_is_not_the_plants',  # trap
    ),
    pytest.param(
        None,
        'The utility revoked the licence for the 300 MW coal-fired plant in Ankpa.',
        [{'type': 'coal', 'capacity_mw': 300.0, 'location': 'Ankpa', 'status': 'cancelled'}],
        id='a_revoked_licence_is_cancelled',
    ),
    pytest.param(
        None,
        'Rheinstrom opened a 50 MW wind farm near Husum on Monday. Last year, it completed the Hallig Nord wind farm.',
        [{'type': 'wind', 'capacity_mw': 50.0, 'location': 'Husum', 'status': 'commissioned'},
         {'type': 'wind', 'name': 'Hallig Nord wind farm', 'location': 'Hallig Nord', 'status': 'commissioned'}],
        id='a_plant_the_company_also_completed_is_another',  # trap
    ),
    pytest.param(
        None,
        'The developer bought 200 MW of Nordic Solar modules for its plant in Sonora.',
        [],
        id='modules_of_a_maker_named_solar_are_no_plant',  # trap
    ),
    pytest.param(
        None,
        'A Kenyan delegation visited the 40 MW Garissa solar plant last week.',
        [{'type': 'solar', 'name': 'Garissa solar plant', 'capacity_mw': 40.0, 'location': 'Garissa'}],
        id='a_delegation_of_people_is_no_place',  # trap
    ),
    pytest.param(
        None,
        'Cobre Energia commissioned the 30 MW power plant at Tocopilla, which burns diesel.',
        [{'type': 'oil', 'capacity_mw': 30.0, 'location': 'Tocopilla', 'status': 'commissioned'}],
        id='a_plant_without_a_technology_word_takes_the_fuel_its_sentence_names',
    ),
    pytest.param(
        None,
        'Both the Upper and Lower Zambezi hydropower plants were hit by drought.',
        [{'type': 'hydro', 'name': 'Upper Zambezi hydropower plant'}, {'type': 'hydro', 'name': 'Lower Zambezi hydropower plant'}],
        id='upper_and_lower_share_the_rest_of_a_name',
    ),
    pytest.param(
        None,
        'Shares of the Vestas and Nordex wind units fell on Tuesday.',
        [],
        id='business_units_are_no_plants',  # trap
    ),
    pytest.param(
        None,
        'The Alpha and Beta wind farms near Amarillo will have 10 turbines of 5 MW each, for a total of 100 MW.',
        [{'type': 'wind', 'name': 'Alpha wind farm', 'capacity_mw': None, 'status': 'planned'},
         {'type': 'wind', 'name': 'Beta wind farm', 'capacity_mw': None, 'status': 'planned'}],
        id='the_total_of_two_named_plants_turbines_is_neither_ones',  # trap
    ),
]


@pytest.mark.parametrize("title,text,expected", CASES)
def test_phenomenon(title: str | None, text: str, expected: list[dict[str, Any]]) -> None:
    result = extract(text, doc_id="t", title=title)
    got = [f.model_dump() for f in result.facilities]
    assert len(got) == len(expected), f"expected {len(expected)} facilities, got {got}"
    for want, have in zip(expected, got, strict=True):
        for key, value in want.items():
            assert have[key] == value, f"{key}: expected {value!r}, got {have[key]!r} in {have}"
        for key in ("status",):
            if key not in want:
                assert have[key] == "unknown"


#: Every legal form the organisation patterns know, as written after a name.
LEGAL_FORMS = ("LLP LLC Ltd Ltd. Limited LP L.P. Ltda JSC JSCo PLC PJSC PAO plc GmbH S.A. SA S.p.A. SpA SAS S.A.S. SRL "
               "S.r.l. SE S.L. SL S.A.U. FZE FZCO FZ-LLC AG ASA AB A/S AS Inc Inc. Corp Corp. CJSC OJSC Oyj Oy OOO NV "
               "N.V. BV B.V. Tbk TOO K.K. KG").split() + ["Pvt Ltd", "Private Limited", "Pty Ltd", "Pte Ltd",
                                                         "GmbH & Co. KG", "Sp. z o.o.", "Sdn Bhd", "Co., Ltd"] + \
    "s.r.o. a.s. d.o.o. d.d. a.d. sh.p.k. sh.a. EAD EOOD OOD AD Kft. Zrt. Nyrt. SIA UAB ApS S.R.L.".split()


@pytest.mark.parametrize("form", LEGAL_FORMS)
def test_every_legal_form_makes_an_organisation(form: str) -> None:
    # after a lowercase role noun too ("steelmaker X Oyj"): each form must be one of the patterns' anchor words
    text = f"Its output is sold to steelmaker Northwind Steel {form} under a long contract."
    names = [o.text for o in extract(text, doc_id="t").organisations]
    assert any(n in (f"Northwind Steel {form}", f"Northwind Steel {form.rstrip('.')}") for n in names), names


@pytest.mark.parametrize(
    "text,organisation",
    [
        ("Greenfield Power LLP will build a 25 MW solar park near the town of Tobyl.", "Greenfield Power LLP"),
        ("The plant was built by Steppe Breeze Ltd on the Ili river.", "Steppe Breeze Ltd"),
        ("The Ministry of Energy of Uzbekistan approved the plan.", "Ministry of Energy of Uzbekistan"),
        ("Delegates met at the Chamber of Commerce of Almaty on Monday.", "Chamber of Commerce of Almaty"),
        ("The deal was signed with Qyzyl Energy Group in Astana.", "Qyzyl Energy Group"),
        ("Analysts at Kestrel Ratings said the outlook was stable.", "Kestrel Ratings"),
        ("The power will be sold to KOREM under a 15-year contract.", "KOREM"),
        ("The regional akimat said the plant would open in May.", "akimat"),
        ("Turbines were supplied by Vestra Wind Systems A/S.", "Vestra Wind Systems A/S"),
        ("The Asian Bank for Reconstruction and Development approved a loan.",
         "Asian Bank for Reconstruction and Development"),
        ("The Qazaq Grid Operating Company (QGOC) said the line is ready.", "QGOC"),
        ("Figures from the National Energy Regulatory Commission show a rise.", "National Energy Regulatory Commission"),
        ("ATYRAU, May 4 (Steppe Newswire) - A 20 MW solar plant opened in the town of Kulsary.", "Steppe Newswire"),
        ("ALMATY, May 4, 2026 /PRWire/ -- Qazaq Sun LLP opened a 20 MW solar plant.", "PRWire"),
        ("The wells were drilled by Rift Drilling Services under a turnkey contract.", "Rift Drilling Services"),
        ("The loan was arranged by Banco Pampa and two other lenders.", "Banco Pampa"),
        ("The EPC work went to Nile Delta Contracting last year.", "Nile Delta Contracting"),
        ("The power is sold to Northvolt subsidiary Skagerak Kraft under a contract.", "Northvolt"),
        ("The plant was built by PowerChina contractors in 2019.", "PowerChina"),
        ("Its output is sold to steelmaker Raahe Steel Oyj under a ten-year contract.", "Raahe Steel Oyj"),
    ],
)
def test_organisation_mentions(text: str, organisation: str) -> None:
    result = extract(text, doc_id="t")
    assert organisation in [m.text for m in result.organisations]


@pytest.mark.parametrize(
    "text,not_an_organisation",
    [
        ("Turbines were supplied by the Czech company Hydromont Brno.", "Czech"),
        ("The plant belongs to Karoo Grid Solutions and Danish developer Nordvind A/S.", "Danish"),
        ("Committee chairman Cllr Peter Lowell said the plan was sound.", "Cllr Peter Lowell"),
        ("About High Plains Renewables\n\nHigh Plains Renewables develops wind projects.", "About High Plains Renewables"),
        ("Mini-grids will be built in Kura Local Government Area of Kano State.", "Kura Local Government Area of Kano State"),
        ("NEWS RELEASE\n\nHALIFAX, Sept. 21 — Acadia Power Corporation opened a 20 MW solar farm.", "NEWS"),
        ("NEWS RELEASE\n\nHALIFAX, Sept. 21 — Acadia Power Corporation opened a 20 MW solar farm.", "NEWS RELEASE"),
        ("The plant was built by Chinese EPC contractor Lingnan Electric Engineering.", "Chinese EPC"),
        ("The panels were installed by EPC contractor Adriatica Impianti.", "EPC"),
        ("The battery is being developed by Kimberley firm Karoo Grid Partners.", "Kimberley"),
        ("KUALA TERENGGANU: A 30MW solar farm in Kemaman has started feeding the grid.", "KUALA"),
    ],
)
def test_not_organisations(text: str, not_an_organisation: str) -> None:
    assert not_an_organisation not in [m.text for m in extract(text, doc_id="t").organisations]


@pytest.mark.parametrize(("text", "location"), [
    ("Pune-based Sahyadri Renewables will build a 50 MW solar plant near Sira.", "Pune"),
    ("Nordvind Energy, which is based in Bremen, commissioned a 30 MW wind farm in Kenya.", "Bremen"),
])
def test_home_towns_are_article_locations(text: str, location: str) -> None:
    assert location in [m.text for m in extract(text, doc_id="t").locations]


@pytest.mark.parametrize(
    "text,organisations",
    [
        # developer linked; lender, supplier and off-taker are organisations but not the facility's
        ("Bright Sun LLP completed a 45 MW solar park near the town of Saran. The project was financed by the "
         "Asian Development Bank and the panels were supplied by Longi.", ["Bright Sun LLP"]),
        ("Steppe Hydro JSC will build a 12 MW hydropower plant on the Ili river and sell its power to KOREM.",
         ["Steppe Hydro JSC"]),
        ("The Ministry of Energy and Orda Wind LLP signed an agreement to build a 50 MW wind farm near Shu.",
         ["Orda Wind LLP"]),
        ("The Steppe Investment Bank approved a loan for the 100 MW Tortkol solar plant.", []),
    ],
)
def test_facility_organisations_are_developers(text: str, organisations: list[str]) -> None:
    result = extract(text, doc_id="t")
    assert [f.organisations for f in result.facilities] == [organisations]


@pytest.mark.parametrize(
    "text,dropped",
    [
        ("The Texas Gulf Power Partners will build a 50 MW solar park in the town of Delta.", "Texas"),
        ("Karaganda Energy Centre operates a 100 MW coal plant in the city of Temirtau.", "Karaganda"),
    ],
)
def test_place_inside_an_organisation_name_is_not_a_location(text: str, dropped: str) -> None:
    result = extract(text, doc_id="t")
    assert dropped not in [m.text for m in result.locations]


def test_every_record_has_provenance() -> None:
    from extractors.pipeline import EXTRACTOR_VERSION, PATTERN_SET_VERSION

    text = "Officials said on Monday that a 40 MW solar park will be built near the village of Tortkol."
    (f,) = extract(text, doc_id="t").facilities
    assert f.sentence and f.sentence in text
    assert f.start_char is not None and f.end_char is not None
    assert text[f.start_char:f.end_char] == "solar park"
    assert any(p.startswith("fac.") for p in f.pattern_ids) and any(p.startswith("cap.") for p in f.pattern_ids)
    assert any(p.startswith("status.planned.") for p in f.pattern_ids)
    assert f.extractor_version == EXTRACTOR_VERSION and f.pattern_set_version == PATTERN_SET_VERSION
    assert f.confidence is not None and 0 < f.confidence <= 1


def test_confidence_is_higher_with_more_evidence() -> None:
    rich = extract("A 40 MW solar park was commissioned near the village of Tortkol.", doc_id="a").facilities[0]
    poor = extract("Three solar parks were mentioned.", doc_id="b").facilities[0]
    assert rich.confidence > poor.confidence


def test_offsets_point_into_the_text_not_the_title() -> None:
    text = "A 30 MW wind farm will be built near the town of Ereymentau."
    result = extract(text, doc_id="t", title="Kazakhstan's Akmola region to get a wind farm")
    (f,) = result.facilities
    assert text[f.start_char:f.end_char] == "wind farm"
    assert f.region_canonical == "Akmola" and f.country == "Kazakhstan"
    for m in result.organisations + [x for x in result.locations if x.pattern_ids != ["title.place"]]:
        assert text[m.start_char:m.end_char] == m.text or m.label == "from plant name" or m.text.endswith(
            ("district", "region", "village", "town", "city"))
