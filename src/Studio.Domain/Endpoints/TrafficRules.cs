using Studio.Domain.Common;

namespace Studio.Domain.Endpoints;

/// <summary>
/// An endpoint's traffic rules (§4.2): <c>traffic</c> splits live requests between its deployments in whole percents that
/// sum to 0 or 100; <c>mirror_traffic</c> copies at most 50 % of requests to one deployment (its answers discarded), never
/// one that takes live traffic. Errors name <c>traffic.NAME</c> / <c>mirror_traffic.NAME</c>, or <c>traffic</c> for the sum.
/// </summary>
public static class TrafficRules
{
    public const int MaxMirrorPercent = 50;

    public static IReadOnlyList<Error> Validate(IReadOnlyDictionary<string, int> traffic, IReadOnlyDictionary<string, int> mirror, IReadOnlyCollection<string> deployments)
    {
        ArgumentNullException.ThrowIfNull(traffic);
        ArgumentNullException.ThrowIfNull(mirror);
        ArgumentNullException.ThrowIfNull(deployments);
        var known = new HashSet<string>(deployments, StringComparer.OrdinalIgnoreCase);
        var errors = new List<Error>();
        foreach (var (name, percent) in traffic)
        {
            if (!known.Contains(name))
            {
                errors.Add(Error.Unprocessable("unknown_deployment", $"traffic.{name}", $"The endpoint has no deployment '{name}'{Known(known)}."));
            }

            if (percent is < 0 or > 100)
            {
                errors.Add(Error.Validation($"traffic.{name}", $"A deployment's traffic is a whole percent between 0 and 100, not {percent}."));
            }
        }

        var sum = traffic.Values.Where(p => p is >= 0 and <= 100).Sum();
        if (errors.Count == 0 && sum is not (0 or 100))
        {
            errors.Add(Error.Validation("traffic", $"Traffic adds up to {sum} %; it must add up to 100 % (or 0 % to stop live traffic)."));
        }

        if (mirror.Count > 1)
        {
            errors.Add(Error.Validation("mirror_traffic", "Mirror traffic goes to one deployment only."));
        }

        foreach (var (name, percent) in mirror)
        {
            if (!known.Contains(name))
            {
                errors.Add(Error.Unprocessable("unknown_deployment", $"mirror_traffic.{name}", $"The endpoint has no deployment '{name}'{Known(known)}."));
            }
            else if (traffic.TryGetValue(name, out var live) && live > 0 && percent > 0)
            {
                errors.Add(Error.Validation($"mirror_traffic.{name}", $"'{name}' takes {live} % of live traffic; mirror to a deployment that takes none (its answers are discarded)."));
            }

            if (percent is < 0 or > MaxMirrorPercent)
            {
                errors.Add(Error.Validation($"mirror_traffic.{name}", $"Mirror traffic is between 0 and {MaxMirrorPercent} %, not {percent}."));
            }
        }

        return errors;
    }

    /// <summary>Parses the CLI's <c>"blue=90 green=10"</c> (spaces or commas between pairs); errors name <paramref name="field"/>.</summary>
    public static Result<IReadOnlyDictionary<string, int>> Parse(string? text, string field = "traffic")
    {
        var result = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in (text ?? string.Empty).Split([' ', ',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0 || !int.TryParse(parts[1], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var percent))
            {
                return Error.Validation(field, $"'{pair}' is not DEPLOYMENT=PERCENT (e.g. blue=90 green=10).");
            }

            if (!result.TryAdd(parts[0], percent))
            {
                return Error.Validation(field, $"'{parts[0]}' is given twice.");
            }
        }

        return result;
    }

    private static string Known(HashSet<string> known) =>
        known.Count == 0 ? " (it has no deployments yet)" : $" (it has {string.Join(", ", known.Order(StringComparer.Ordinal))})";
}
