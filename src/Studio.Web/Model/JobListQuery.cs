using System.Globalization;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Jobs;

namespace Studio.Web.Model;

/// <summary>
/// The job list's filters, sort and page, as they live in the URL query (<c>?status=Queued,Running&amp;compute=gpu&amp;q=resnet&amp;sort=created&amp;desc=true&amp;page=2</c>),
/// so that reloads, back/forward and shared links keep them.
/// </summary>
public sealed record JobListQuery
{
    public const int DefaultPageSize = 25;

    public static IReadOnlyList<string> SortKeys { get; } = ["created", "name", "status", "compute", "submitter", "duration"];

    /// <summary>Jobs in any of these states; empty: every state. Kept in the order of <see cref="JobState"/>.</summary>
    public IReadOnlyList<JobState> States { get; init; } = [];

    public string? Compute { get; init; }

    public string? Submitter { get; init; }

    public string? Experiment { get; init; }

    public string? Text { get; init; }

    /// <summary>One of <see cref="SortKeys"/>; defaults to <c>created</c>.</summary>
    public string Sort { get; init; } = "created";

    public bool Descending { get; init; } = true;

    /// <summary>Zero-based page.</summary>
    public int Page { get; init; }

    public int PageSize { get; init; } = DefaultPageSize;

    public bool HasFilters => States.Count > 0 || Compute is not null || Submitter is not null || Experiment is not null || Text is not null;

    /// <summary>Reads the query parameters; unknown or malformed values fall back to the defaults rather than failing the page.</summary>
    public static JobListQuery Parse(string? status, string? compute, string? submitter, string? experiment, string? text, string? sort, string? descending, int? page, int? pageSize) => new()
    {
        States = ParseStates(status, out _),
        Compute = Blank(compute),
        Submitter = Blank(submitter),
        Experiment = Blank(experiment),
        Text = Blank(text),
        Sort = SortKeys.FirstOrDefault(k => string.Equals(k, sort, StringComparison.OrdinalIgnoreCase)) ?? "created",
        Descending = !string.Equals(descending, "false", StringComparison.OrdinalIgnoreCase),
        Page = Math.Max(0, page ?? 0),
        PageSize = pageSize is { } size && PageSizes.Contains(size) ? size : DefaultPageSize,
    };

    public static IReadOnlyList<int> PageSizes { get; } = [10, 25, 50, 100];

    /// <summary>The query parameters that differ from the defaults (null removes a parameter from the URL).</summary>
    public IReadOnlyDictionary<string, object?> ToQuery() => new Dictionary<string, object?>
    {
        ["status"] = States.Count == 0 ? null : string.Join(',', States),
        ["compute"] = Compute,
        ["submitter"] = Submitter,
        ["experiment"] = Experiment,
        ["q"] = Text,
        ["sort"] = Sort == "created" ? null : Sort,
        ["desc"] = Descending ? null : "false",
        ["page"] = Page == 0 ? null : Page.ToString(CultureInfo.InvariantCulture),
        ["size"] = PageSize == DefaultPageSize ? null : PageSize.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// A comma-separated list of states (any case), distinct and in the order of <see cref="JobState"/>; names that are
    /// not a state (numbers included) go to <paramref name="unknown"/>. The page ignores them, the API refuses them.
    /// </summary>
    public static IReadOnlyList<JobState> ParseStates(string? status, out IReadOnlyList<string> unknown)
    {
        var states = new List<JobState>();
        var bad = new List<string>();
        foreach (var name in (status ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Enum.TryParse<JobState>(name, ignoreCase: true, out var state) && Enum.IsDefined(state) && !int.TryParse(name, out _))
            {
                states.Add(state);
            }
            else
            {
                bad.Add(name);
            }
        }

        unknown = bad;
        return [.. states.Distinct().Order()];
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>The service's query (its pages are 1-based).</summary>
    public JobQuery ToServiceQuery() => new(
        States,
        Compute,
        Submitter,
        Experiment,
        Text,
        Sort switch
        {
            "name" => JobSort.Name,
            "status" => JobSort.Status,
            "compute" => JobSort.Compute,
            "submitter" => JobSort.Submitter,
            "duration" => JobSort.Duration,
            _ => JobSort.Created,
        },
        Descending,
        Page + 1,
        PageSize);
}
