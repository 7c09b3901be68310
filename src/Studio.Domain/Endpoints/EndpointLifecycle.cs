using Studio.Domain.Common;

namespace Studio.Domain.Endpoints;

/// <summary>
/// The state machine of endpoints and deployments: Creating → Succeeded | Failed; Succeeded or Failed → Updating (a
/// change, traffic or a new version) → Succeeded | Failed; any state → Deleting, which is final. One operation at a time:
/// a change while Creating, Updating or Deleting is refused (Azure ML's 409 "another operation is in progress").
/// </summary>
public static class EndpointLifecycle
{
    /// <summary>Whether an operation is running (a new one must wait).</summary>
    public static bool IsBusy(EndpointState state) => state is EndpointState.Creating or EndpointState.Updating or EndpointState.Deleting;

    public static bool CanMove(EndpointState from, EndpointState to) => (from, to) switch
    {
        (EndpointState.Deleting, _) => false,
        (_, EndpointState.Deleting) => true,
        (EndpointState.Creating or EndpointState.Updating, EndpointState.Succeeded or EndpointState.Failed) => true,
        (EndpointState.Succeeded or EndpointState.Failed, EndpointState.Updating) => true,
        _ => false,
    };

    /// <summary>The conflict for a change asked while an operation runs; null when the change may start.</summary>
    public static Error? Busy(EndpointState state, string what) => IsBusy(state)
        ? Error.Conflict("operation_in_progress", $"{what} is {state.ToString().ToLowerInvariant()}; wait until it has finished (another operation is in progress).")
        : null;

    /// <summary>Throws when a move is impossible (a broken invariant, not an expected failure).</summary>
    public static void EnsureCanMove(EndpointState from, EndpointState to)
    {
        if (!CanMove(from, to))
        {
            throw new DomainException($"An endpoint or deployment cannot move from {from} to {to}.");
        }
    }
}
