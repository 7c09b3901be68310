using Studio.Domain.Jobs;

namespace Studio.Web.Model;

/// <summary>
/// One step of a job's status timeline: a state the job reached (with when and why), the state it is in now, or a
/// step still ahead of it.
/// </summary>
public sealed record TimelineStep(JobState State, DateTimeOffset? At, string? Detail, bool Reached, bool Current)
{
    /// <summary>
    /// The steps to show: every recorded transition in order, then the states still ahead on the happy path
    /// (Queued → Starting → Running → Completed) while the job has not ended.
    /// </summary>
    public static IReadOnlyList<TimelineStep> Build(IEnumerable<(JobState State, DateTimeOffset At, string? Detail)> transitions, JobState current)
    {
        var steps = new List<TimelineStep>();
        foreach (var t in transitions.OrderBy(t => t.At))
        {
            // A repeated state (e.g. Running after a retry) is shown again: the timeline is the history, not a checklist.
            if (steps.Count > 0 && steps[^1].State == t.State && steps[^1].Detail == t.Detail)
            {
                continue;
            }

            steps.Add(new TimelineStep(t.State, t.At, t.Detail, true, false));
        }

        if (steps.Count == 0 || steps[^1].State != current)
        {
            steps.Add(new TimelineStep(current, null, null, true, false));
        }

        steps[^1] = steps[^1] with { Current = true };
        if (!JobDisplay.IsTerminal(current))
        {
            JobState[] happy = [JobState.Queued, JobState.Starting, JobState.Running, JobState.Completed];
            foreach (var state in happy.Where(s => s > current))
            {
                steps.Add(new TimelineStep(state, null, null, false, false));
            }
        }

        return steps;
    }
}
