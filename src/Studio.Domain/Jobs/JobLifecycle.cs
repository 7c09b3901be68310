using Studio.Domain.Common;

namespace Studio.Domain.Jobs;

/// <summary>
/// The job state machine: Queued → Starting → Running → Completed | Failed, any non-terminal state → Canceled; a job
/// may also skip forward (Queued → Running when the informer missed Starting, Queued → Failed for an image that can never
/// be pulled) but never goes back, and terminal states are final.
/// </summary>
public static class JobLifecycle
{
    public static bool IsTerminal(JobState state) => state is JobState.Completed or JobState.Failed or JobState.Canceled;

    /// <summary>Whether a job in <paramref name="from"/> may move to <paramref name="to"/> (staying is not a move).</summary>
    public static bool CanMove(JobState from, JobState to)
    {
        if (from == to || IsTerminal(from))
        {
            return false;
        }

        return to switch
        {
            JobState.Canceled => true,
            JobState.Queued => false,
            _ => Order(to) > Order(from),
        };
    }

    /// <summary>
    /// Applies an observed status to a timeline: appends a transition when the state moves forward, ignores a repeat or a
    /// step back (an informer replaying an older object). Returns the transitions to append (empty when nothing changed).
    /// Intermediate states the cluster skipped are not invented.
    /// </summary>
    public static IReadOnlyList<JobTransition> Advance(JobState current, JobStatus observed, DateTimeOffset at) =>
        CanMove(current, observed.State) ? [new JobTransition(observed.State, at, observed.Reason)] : [];

    /// <summary>Throws when a move is impossible (a broken invariant, not an expected failure).</summary>
    public static void EnsureCanMove(JobState from, JobState to)
    {
        if (!CanMove(from, to))
        {
            throw new DomainException($"A job cannot move from {from} to {to}.");
        }
    }

    private static int Order(JobState state) => state switch
    {
        JobState.Queued => 0,
        JobState.Starting => 1,
        JobState.Running => 2,
        _ => 3,
    };
}
