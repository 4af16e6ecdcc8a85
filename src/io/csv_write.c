/* SPDX-License-Identifier: MPL-2.0 */
/* Writing the canonical CSVs (the format the importers read, docs/data.md). */
#include <math.h>
#include <string.h>

#include "kommute/csv.h"
#include "kommute/json.h"

/* A text field, quoted when it holds a delimiter, quote or line break. */
static void field(kmt_buf *b, const char *s)
{
    if (!s) s = "";
    if (!strpbrk(s, ",;\"\n\r")) {
        kmt_buf_puts(b, s);
        return;
    }
    kmt_buf_put(b, "\"", 1);
    for (; *s; s++) {
        if (*s == '"') kmt_buf_put(b, "\"", 1);
        kmt_buf_put(b, s, 1);
    }
    kmt_buf_put(b, "\"", 1);
}

static void sep(kmt_buf *b)
{
    kmt_buf_put(b, ",", 1);
}

/* A number with `dec` decimals, empty when not finite (or when zero and
 * zero_empty). */
static void num(kmt_buf *b, double v, int dec, int zero_empty)
{
    if (!isfinite(v) || (zero_empty && v == 0)) return;
    kmt_buf_printf(b, "%.*f", dec, v);
}

static void when(kmt_buf *b, kmt_time t)
{
    char buf[32];
    kmt_buf_puts(b, kmt_time_format(t, buf, sizeof buf));
}

static const char *org_name(const kmt_dataset *d, int32_t i)
{
    return i >= 0 ? d->orgs.v[i].name : "";
}
static const char *site_key(const kmt_dataset *d, int32_t i)
{
    return i >= 0 ? d->sites.v[i].key : "";
}

void kmt_csv_write_sites(kmt_buf *b, const kmt_dataset *d)
{
    kmt_buf_puts(b, "site,name,lon,lat\n");
    for (size_t i = 0; i < d->sites.n; i++) {
        const kmt_site *s = &d->sites.v[i];
        field(b, s->key), sep(b), field(b, s->name), sep(b);
        num(b, s->pos.lon, 6, 0), sep(b), num(b, s->pos.lat, 6, 0);
        kmt_buf_put(b, "\n", 1);
    }
}

void kmt_csv_write_vehicles(kmt_buf *b, const kmt_dataset *d)
{
    kmt_buf_puts(b, "vehicle_id,registration,make,model,kind,fuel,range_km,seats,site,department,"
                    "fixed_cost_per_year,cost_per_km,wh_per_km,km_per_litre,in_service_from,in_service_to\n");
    for (size_t i = 0; i < d->vehicles.n; i++) {
        const kmt_vehicle *v = &d->vehicles.v[i];
        char buf[32];
        field(b, v->key), sep(b), field(b, v->registration), sep(b), field(b, v->make), sep(b);
        field(b, v->model), sep(b), field(b, kmt_vehicle_kind_name(v->kind)), sep(b);
        field(b, kmt_fuel_name(v->fuel)), sep(b), num(b, v->range_km, 0, 1), sep(b);
        num(b, v->seats, 0, 1), sep(b), field(b, site_key(d, v->site)), sep(b);
        field(b, org_name(d, v->department)), sep(b), num(b, v->fixed_cost_per_year, 2, 1), sep(b);
        num(b, v->cost_per_km, 2, 1), sep(b), num(b, v->wh_per_km, 1, 1), sep(b);
        num(b, v->km_per_litre, 1, 1), sep(b);
        kmt_buf_puts(b, kmt_time_format_date(v->in_service_from, buf, sizeof buf)), sep(b);
        kmt_buf_puts(b, kmt_time_format_date(v->in_service_to, buf, sizeof buf));
        kmt_buf_put(b, "\n", 1);
    }
}

void kmt_csv_write_trips(kmt_buf *b, const kmt_dataset *d)
{
    kmt_buf_puts(b, "trip_id,vehicle_id,site,department,driver,start_time,end_time,start_lon,start_lat,"
                    "end_lon,end_lat,km,purpose,start_address,end_address\n");
    for (size_t i = 0; i < d->trips.n; i++) {
        const kmt_trip *t = &d->trips.v[i];
        field(b, t->key), sep(b), field(b, t->vehicle >= 0 ? d->vehicles.v[t->vehicle].key : ""), sep(b);
        field(b, site_key(d, t->site)), sep(b), field(b, org_name(d, t->department)), sep(b);
        field(b, t->driver), sep(b), when(b, t->start), sep(b), when(b, t->end), sep(b);
        num(b, t->from.lon, 6, 0), sep(b), num(b, t->from.lat, 6, 0), sep(b);
        num(b, t->to.lon, 6, 0), sep(b), num(b, t->to.lat, 6, 0), sep(b);
        num(b, t->km, 1, 0), sep(b), field(b, t->purpose), sep(b), field(b, t->from_address), sep(b);
        field(b, t->to_address);
        kmt_buf_put(b, "\n", 1);
    }
}

void kmt_csv_write_travel(kmt_buf *b, const kmt_dataset *d)
{
    kmt_buf_puts(b, "record_id,person,organisation,department,date,start_time,end_time,from_place,to_place,"
                    "from_lon,from_lat,to_lon,to_lat,km,mode,fuel,purpose,meeting_id,cost,currency,"
                    "travel_minutes\n");
    for (size_t i = 0; i < d->travel.n; i++) {
        const kmt_travel *r = &d->travel.v[i];
        char buf[32];
        field(b, r->key), sep(b), field(b, r->person), sep(b), field(b, org_name(d, r->organisation)), sep(b);
        field(b, org_name(d, r->department)), sep(b);
        kmt_buf_puts(b, kmt_time_format_date(r->date, buf, sizeof buf)), sep(b);
        when(b, r->start), sep(b), when(b, r->end), sep(b), field(b, r->from_place), sep(b);
        field(b, r->to_place), sep(b), num(b, r->from.lon, 6, 0), sep(b), num(b, r->from.lat, 6, 0), sep(b);
        num(b, r->to.lon, 6, 0), sep(b), num(b, r->to.lat, 6, 0), sep(b), num(b, r->km, 1, 0), sep(b);
        field(b, kmt_mode_name(r->mode)), sep(b), field(b, r->fuel ? kmt_fuel_name(r->fuel) : ""), sep(b);
        field(b, r->purpose), sep(b), field(b, r->meeting_id), sep(b), num(b, r->cost, 2, 0), sep(b);
        field(b, r->currency), sep(b);
        if (r->travel_minutes >= 0) kmt_buf_printf(b, "%d", r->travel_minutes);
        kmt_buf_put(b, "\n", 1);
    }
}
