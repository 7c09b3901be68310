using System.Globalization;

namespace Studio.Sandbox.Simulation;

/// <summary>
/// A standard five-field cron schedule as CronJobs take it (minute hour day-of-month month day-of-week; <c>*</c>, lists,
/// ranges, steps, month and weekday names, <c>?</c>) and the <c>@yearly</c>/<c>@monthly</c>/<c>@weekly</c>/<c>@daily</c>/
/// <c>@hourly</c> macros. When both day fields are restricted a day matching either runs, as cron does.
/// </summary>
internal sealed class CronSchedule
{
    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
    private readonly bool[] _minutes, _hours, _days, _months, _weekdays;
    private readonly bool _dayStar, _weekdayStar;

    private CronSchedule(string[] f)
    {
        _minutes = Field(f[0], 0, 59, null, out _);
        _hours = Field(f[1], 0, 23, null, out _);
        _days = Field(f[2], 1, 31, null, out _dayStar);
        _months = Field(f[3], 1, 12, MonthNames, out _);
        _weekdays = Field(f[4], 0, 7, DayNames, out _weekdayStar);
        _weekdays[0] |= _weekdays[7];
    }

    /// <summary>Parses a schedule; the error message says what is wrong (for the API's field error).</summary>
    public static bool TryParse(string? text, out CronSchedule? schedule, out string error)
    {
        schedule = null;
        error = "";
        var s = (text ?? "").Trim();
        if (s.StartsWith("TZ=", StringComparison.Ordinal) || s.StartsWith("CRON_TZ=", StringComparison.Ordinal))
        {
            error = "cannot use TZ or CRON_TZ in schedule, use timeZone field instead";
            return false;
        }

        s = s switch
        {
            "@yearly" or "@annually" => "0 0 1 1 *",
            "@monthly" => "0 0 1 * *",
            "@weekly" => "0 0 * * 0",
            "@daily" or "@midnight" => "0 0 * * *",
            "@hourly" => "0 * * * *",
            _ => s,
        };
        var fields = s.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
        {
            error = $"expected exactly 5 fields, found {fields.Length}: {text}";
            return false;
        }

        try
        {
            schedule = new CronSchedule(fields);
            return true;
        }
        catch (FormatException e)
        {
            error = e.Message;
            return false;
        }
    }

    /// <summary>The first schedule time strictly after <paramref name="after"/> (minute precision, UTC), or null within 5 years.</summary>
    public DateTime? Next(DateTime after)
    {
        var t = new DateTime(after.Year, after.Month, after.Day, after.Hour, after.Minute, 0, DateTimeKind.Utc).AddMinutes(1);
        var limit = after.AddYears(5);
        while (t < limit)
        {
            if (!_months[t.Month])
            {
                t = new DateTime(t.Year, t.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(1);
            }
            else if (!DayMatches(t))
            {
                t = t.Date.AddDays(1);
            }
            else if (!_hours[t.Hour])
            {
                t = new DateTime(t.Year, t.Month, t.Day, t.Hour, 0, 0, DateTimeKind.Utc).AddHours(1);
            }
            else if (!_minutes[t.Minute])
            {
                t = t.AddMinutes(1);
            }
            else
            {
                return t;
            }
        }

        return null;
    }

    private bool DayMatches(DateTime t)
    {
        var day = _days[t.Day];
        var weekday = _weekdays[(int)t.DayOfWeek];
        return _dayStar || _weekdayStar ? day && weekday : day || weekday;
    }

    private static bool[] Field(string field, int min, int max, string[]? names, out bool star)
    {
        var set = new bool[max + 1];
        star = field is "*" or "?";
        foreach (var part in field.Split(','))
        {
            var step = 1;
            var range = part;
            var slash = part.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0)
            {
                step = Number(part[(slash + 1)..], 1, max, null, field);
                range = part[..slash];
            }

            int lo, hi;
            if (range is "*" or "?")
            {
                (lo, hi) = (min, max);
            }
            else if (range.IndexOf('-', StringComparison.Ordinal) is var dash and > 0)
            {
                lo = Number(range[..dash], min, max, names, field);
                hi = Number(range[(dash + 1)..], min, max, names, field);
            }
            else
            {
                lo = Number(range, min, max, names, field);
                hi = slash >= 0 ? max : lo;
            }

            if (lo > hi)
            {
                throw new FormatException($"beginning of range ({lo}) beyond end of range ({hi}): {field}");
            }

            for (var v = lo; v <= hi; v += step)
            {
                set[v] = true;
            }
        }

        return set;
    }

    private static int Number(string text, int min, int max, string[]? names, string field)
    {
        if (names is not null)
        {
            var i = Array.IndexOf(names, text.ToUpperInvariant());
            if (i >= 0)
            {
                return names.Length == 12 ? i + 1 : i;
            }
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            throw new FormatException($"failed to parse int from {text}: {field}");
        }

        if (n < min || n > max)
        {
            throw new FormatException($"value ({n}) out of range [{min}, {max}]: {field}");
        }

        return n;
    }
}
