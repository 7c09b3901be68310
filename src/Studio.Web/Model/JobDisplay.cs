using MudBlazor;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Jobs;

namespace Studio.Web.Model;

/// <summary>How job states, ranks and distributions look on the pages (amounts, durations and times: <see cref="Studio.Domain.HumanUnits"/>).</summary>
public static class JobDisplay
{
    /// <summary>Eight rank colours that read on light and dark backgrounds; rank N uses <c>N mod 8</c>.</summary>
    private static readonly string[] RankColours = ["#1e88e5", "#43a047", "#e53935", "#8e24aa", "#f4511e", "#00897b", "#9e9d24", "#6d4c41"];

    public static Color Colour(JobState state) => state switch
    {
        JobState.Queued => Color.Default,
        JobState.Starting => Color.Info,
        JobState.Running => Color.Primary,
        JobState.Completed => Color.Success,
        JobState.Failed => Color.Error,
        JobState.Canceled => Color.Warning,
        _ => Color.Default,
    };

    public static string Icon(JobState state) => state switch
    {
        JobState.Queued => Icons.Material.Filled.HourglassEmpty,
        JobState.Starting => Icons.Material.Filled.RocketLaunch,
        JobState.Running => Icons.Material.Filled.PlayArrow,
        JobState.Completed => Icons.Material.Filled.CheckCircle,
        JobState.Failed => Icons.Material.Filled.Error,
        JobState.Canceled => Icons.Material.Filled.Cancel,
        _ => Icons.Material.Filled.Help,
    };

    public static bool IsTerminal(JobState state) => JobLifecycle.IsTerminal(state);

    /// <summary>The colour of a rank's log prefix.</summary>
    /// <remarks>
    /// Half the rank's hue, half the theme's text colour: darker on the light log background, lighter on the dark one, so
    /// every prefix keeps WCAG AA contrast (4.5:1) in both themes while ranks stay told apart by hue.
    /// </remarks>
    public static string RankColour(int? rank) => rank is null or < 0
        ? "var(--mud-palette-text-secondary)"
        : $"color-mix(in srgb, {RankColours[rank.Value % RankColours.Length]} 50%, var(--mud-palette-text-primary))";

    public static string Distribution(Distribution distribution, int instanceCount) => distribution.Kind switch
    {
        DistributionKind.PyTorch => $"PyTorch · {instanceCount} × {distribution.ProcessCountPerInstance ?? 1} processes",
        DistributionKind.Mpi => $"MPI · {instanceCount} × {distribution.ProcessCountPerInstance ?? 1} processes",
        DistributionKind.TensorFlow => $"TensorFlow · {distribution.WorkerCount ?? instanceCount} worker(s), {distribution.ParameterServerCount ?? 0} parameter server(s)",
        _ => instanceCount == 1 ? "Single instance" : $"{instanceCount} independent instances",
    };

    /// <summary>The display name, or the name when there is none.</summary>
    public static string Title(JobSummary job) => string.IsNullOrWhiteSpace(job.DisplayName) ? job.Name : job.DisplayName;

    /// <summary>A pod's label in the rank colour legend: <c>worker 0</c>, <c>ps 1</c>.</summary>
    public static string PodLabel(JobPodView pod) => $"{pod.Role} {pod.Rank}";
}
