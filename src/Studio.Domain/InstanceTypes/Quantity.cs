using System.Globalization;
using Studio.Domain.Common;

namespace Studio.Domain.InstanceTypes;

/// <summary>
/// A Kubernetes resource quantity (<c>100m</c>, <c>0.1</c>, <c>1500Mi</c>, <c>1G</c>, <c>1e3</c>), parsed exactly into a
/// base-10 <see cref="decimal"/> (never a binary floating point), with the text it was written as kept for round trips.
/// Grammar and rounding follow apimachinery's <c>resource.Quantity</c>: sign, digits with an optional fraction, then a
/// binary-SI suffix (Ki…Ei), a decimal-SI suffix (n, u, m, k, M, G, T, P, E) or a decimal exponent (e3, E-2).
/// </summary>
public readonly record struct Quantity
{
    private const decimal Ki = 1024m;

    private Quantity(decimal value, string text)
    {
        Value = value;
        Text = text;
    }

    /// <summary>The amount in base units (cores, bytes, devices).</summary>
    public decimal Value { get; }

    /// <summary>The quantity exactly as written (trimmed), e.g. <c>1500Mi</c>.</summary>
    public string Text { get; }

    /// <summary>Millicores, rounded up as Kubernetes does (<c>0.0001</c> CPU counts as 1m).</summary>
    public long CeilingMillis => Saturate(decimal.Ceiling(Value * 1000m));

    /// <summary>Whole base units, rounded up (memory in bytes: <c>0.5</c> is 1 byte).</summary>
    public long CeilingUnits => Saturate(decimal.Ceiling(Value));

    /// <summary>Whether the value is a whole number (what an extended resource such as <c>nvidia.com/gpu</c> must be).</summary>
    public bool IsInteger => Value == decimal.Truncate(Value);

    /// <summary>The largest amount a quantity may have, as in Kubernetes: a 64-bit integer of base units (about 8Ei).</summary>
    public const decimal MaxValue = long.MaxValue;

    public override string ToString() => Text;

    // Beyond 64 bits (millis of a quantity over about 9 million million): the largest value, as a count that never wraps.
    private static long Saturate(decimal value) => value >= long.MaxValue ? long.MaxValue : value <= long.MinValue ? long.MinValue : (long)value;

    private static string OutOfRange(string s) =>
        $"'{s}' is out of range: a quantity may be at most {MaxValue.ToString(CultureInfo.InvariantCulture)} (about 8Ei)";

    /// <summary>Parses <paramref name="text"/>; returns null and sets <paramref name="error"/> when it is not a quantity.</summary>
    public static Quantity? Parse(string? text, out string? error)
    {
        error = null;
        var s = text?.Trim();
        if (string.IsNullOrEmpty(s))
        {
            error = "is required";
            return null;
        }

        var i = 0;
        if (s[i] is '+' or '-')
        {
            i++;
        }

        var digits = 0;
        var dot = false;
        while (i < s.Length && (char.IsAsciiDigit(s[i]) || (s[i] == '.' && !dot)))
        {
            if (s[i] == '.')
            {
                dot = true;
            }
            else
            {
                digits++;
            }

            i++;
        }

        if (digits == 0)
        {
            error = $"'{s}' is not a quantity: it must start with a number, e.g. 500m, 2, 1.5, 1500Mi or 4Gi";
            return null;
        }

        if (!decimal.TryParse(s[..i], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            error = OutOfRange(s);
            return null;
        }

        var suffix = s[i..];
        decimal multiplier;
        switch (suffix)
        {
            case "": multiplier = 1m; break;
            case "n": multiplier = 0.000000001m; break;
            case "u": multiplier = 0.000001m; break;
            case "m": multiplier = 0.001m; break;
            case "k": multiplier = 1_000m; break;
            case "M": multiplier = 1_000_000m; break;
            case "G": multiplier = 1_000_000_000m; break;
            case "T": multiplier = 1_000_000_000_000m; break;
            case "P": multiplier = 1_000_000_000_000_000m; break;
            case "E": multiplier = 1_000_000_000_000_000_000m; break;
            case "Ki": multiplier = Ki; break;
            case "Mi": multiplier = Ki * Ki; break;
            case "Gi": multiplier = Ki * Ki * Ki; break;
            case "Ti": multiplier = Ki * Ki * Ki * Ki; break;
            case "Pi": multiplier = Ki * Ki * Ki * Ki * Ki; break;
            case "Ei": multiplier = Ki * Ki * Ki * Ki * Ki * Ki; break;
            default:
                if (suffix[0] is 'e' or 'E' && int.TryParse(suffix[1..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exponent) && suffix.Length > 1 && char.IsAsciiDigit(suffix[^1]))
                {
                    if (exponent is < -18 or > 18)
                    {
                        error = $"'{s}' is out of range: the exponent must be between -18 and 18";
                        return null;
                    }

                    multiplier = 1m;
                    for (var e = 0; e < Math.Abs(exponent); e++)
                    {
                        multiplier = exponent > 0 ? multiplier * 10m : multiplier / 10m;
                    }

                    break;
                }

                error = $"'{s}' has an unknown suffix '{suffix}': use m (milli), k, M, G, T (powers of 1000), Ki, Mi, Gi, Ti (powers of 1024) or an exponent such as e3";
                return null;
        }

        decimal value;
        try
        {
            value = number * multiplier;
        }
        catch (OverflowException)
        {
            error = OutOfRange(s);
            return null;
        }

        // Kubernetes keeps quantities in 64-bit integers.
        if (Math.Abs(value) > MaxValue)
        {
            error = OutOfRange(s);
            return null;
        }

        // Kubernetes keeps at most nano precision and rounds up what is smaller.
        var nanos = value * 1_000_000_000m;
        if (nanos != decimal.Truncate(nanos))
        {
            value = decimal.Ceiling(nanos) / 1_000_000_000m;
        }

        return new Quantity(value, s);
    }

    /// <summary>Parses a quantity that must be valid (tests, constants).</summary>
    public static Quantity From(string text) => Parse(text, out var error) ?? throw new DomainException($"'{text}' {error}");

    /// <summary>A CPU amount from millicores, written the way people do: <c>500m</c>, <c>2</c>.</summary>
    public static Quantity FromMillis(long millis) =>
        From(millis % 1000 == 0 ? (millis / 1000).ToString(CultureInfo.InvariantCulture) : millis.ToString(CultureInfo.InvariantCulture) + "m");

    /// <summary>A memory amount from bytes, in the largest binary unit that divides it (<c>2Gi</c>, <c>1500Mi</c>).</summary>
    public static Quantity FromBytes(long bytes)
    {
        string[] units = ["Ei", "Pi", "Ti", "Gi", "Mi", "Ki"];
        for (var u = 0; u < units.Length; u++)
        {
            var size = 1L << (10 * (units.Length - u));
            if (bytes != 0 && bytes % size == 0)
            {
                return From((bytes / size).ToString(CultureInfo.InvariantCulture) + units[u]);
            }
        }

        return From(bytes.ToString(CultureInfo.InvariantCulture));
    }
}
