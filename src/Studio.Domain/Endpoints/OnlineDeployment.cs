using Studio.Domain.Common;

namespace Studio.Domain.Endpoints;

/// <summary>
/// A deployment of an online endpoint: the spec it runs, its Kubernetes name, the instance type it was placed on, its
/// state with reason, ready and desired replicas, and a 20-minute deadline for every create or update
/// (<see cref="DeploymentFailure.Deadline"/>). State moves by <see cref="EndpointLifecycle"/>: <see cref="Observe"/> turns
/// what the cluster shows into Succeeded (all replicas of the latest spec ready) or Failed (a reason the pods show, or the
/// deadline passed). Every change users see raises one <see cref="OnlineDeploymentChanged"/> per save.
/// </summary>
public sealed class OnlineDeployment : Entity
{
    private readonly List<EndpointTransition> _transitions = [];
    private OnlineDeploymentChanged? _raised;

    private OnlineDeployment()
    {
        Name = EndpointName = KubernetesName = InstanceType = string.Empty;
        Spec = null!;
    }

    public Guid Id { get; private set; }

    public Guid EndpointId { get; private set; }

    public Guid WorkspaceId { get; private set; }

    public string Name { get; private set; }

    public string EndpointName { get; private set; }

    /// <summary>The name of its Deployment and Service on the cluster (<see cref="EndpointNames.KubernetesName"/>).</summary>
    public string KubernetesName { get; private set; }

    /// <summary>The instance type it runs on (the compute target's default when the spec names none).</summary>
    public string InstanceType { get; private set; }

    public OnlineDeploymentSpec Spec { get; private set; }

    /// <summary>Counts creates and updates; the applied objects carry it so the tracker knows which spec it sees.</summary>
    public int Generation { get; private set; }

    public EndpointState State { get; private set; }

    public string? Reason { get; private set; }

    public string? Message { get; private set; }

    public int ReadyReplicas { get; private set; }

    public int DesiredReplicas { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>When the running create or update fails if the deployment is not ready by then.</summary>
    public DateTimeOffset? Deadline { get; private set; }

    public IReadOnlyList<EndpointTransition> Transitions => _transitions;

    /// <summary>Records a new deployment of <paramref name="endpoint"/>: Creating, with its deadline. Validates the spec.</summary>
    public static Result<OnlineDeployment> Create(OnlineEndpoint endpoint, OnlineDeploymentSpec spec, string instanceType, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(spec);
        var errors = spec.Validate().ToList();
        if (!string.Equals(spec.EndpointName, endpoint.Name, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(Error.Validation("endpoint_name", $"The deployment names endpoint '{spec.EndpointName}' but is created on '{endpoint.Name}'."));
        }

        if (endpoint.State == EndpointState.Deleting)
        {
            errors.Add(EndpointLifecycle.Busy(endpoint.State, $"Endpoint '{endpoint.Name}'")!);
        }

        if (errors.Count > 0)
        {
            return Result<OnlineDeployment>.Failure(errors);
        }

        var deployment = new OnlineDeployment
        {
            Id = Guid.NewGuid(),
            EndpointId = endpoint.Id,
            WorkspaceId = endpoint.WorkspaceId,
            Name = spec.Name,
            EndpointName = endpoint.Name,
            KubernetesName = EndpointNames.KubernetesName(endpoint.Name, spec.Name),
            InstanceType = instanceType,
            Spec = spec,
            Generation = 1,
            State = EndpointState.Creating,
            DesiredReplicas = spec.InitialReplicas,
            CreatedAt = at,
            UpdatedAt = at,
            Deadline = at + DeploymentFailure.Deadline,
        };
        deployment._transitions.Add(new EndpointTransition(EndpointState.Creating, at));
        deployment.Raise(EndpointChange.Created, null, at);
        return deployment;
    }

    /// <summary>
    /// Starts an update to <paramref name="spec"/> (scale, new model or code, settings): Updating with a new deadline; the
    /// old replicas keep serving until the new ones are ready. An unchanged spec changes nothing (idempotent PUT); a
    /// change while an operation runs is a conflict.
    /// </summary>
    public Result Update(OnlineDeploymentSpec spec, string instanceType, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var errors = spec.Validate();
        if (errors.Count > 0)
        {
            return Result.Failure(errors);
        }

        if (SameSpec(spec) && string.Equals(instanceType, InstanceType, StringComparison.Ordinal))
        {
            return Result.Success();
        }

        if (EndpointLifecycle.Busy(State, $"Deployment '{Name}'") is { } busy)
        {
            return Result.Failure(busy);
        }

        Spec = spec;
        InstanceType = instanceType;
        Generation++;
        DesiredReplicas = spec.InitialReplicas;
        Deadline = at + DeploymentFailure.Deadline;
        Move(EndpointState.Updating, null, null, at, EndpointChange.Settings);
        return Result.Success();
    }

    /// <summary>
    /// Applies what the cluster shows: ready and desired replicas always; while Creating or Updating, Failed with the pods'
    /// reason, Succeeded once the rollout of this spec is complete with every replica ready, Failed when the deadline passed.
    /// </summary>
    public void Observe(DeploymentObservation observation, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(observation);
        if (State == EndpointState.Deleting)
        {
            return;
        }

        if (observation.Ready != ReadyReplicas || observation.Desired != DesiredReplicas)
        {
            ReadyReplicas = observation.Ready;
            DesiredReplicas = observation.Desired;
            Raise(EndpointChange.Replicas, State, at);
        }

        if (State is not (EndpointState.Creating or EndpointState.Updating))
        {
            return;
        }

        if (observation.FailureReason is { } reason)
        {
            Move(EndpointState.Failed, reason, observation.FailureMessage ?? DeploymentFailure.Explain(reason), at, EndpointChange.State);
        }
        else if (observation.RolloutComplete && observation.Ready >= observation.Desired)
        {
            Deadline = null;
            Move(EndpointState.Succeeded, null, null, at, EndpointChange.State);
        }
        else if (Deadline is { } deadline && at >= deadline)
        {
            Move(EndpointState.Failed, DeploymentFailure.DeploymentTimeout, $"{DeploymentFailure.Explain(DeploymentFailure.DeploymentTimeout)} {observation.Ready} of {observation.Desired} replicas were ready.", at, EndpointChange.State);
        }
    }

    /// <summary>The cluster refused the deployment's objects.</summary>
    public void FailApply(string message, DateTimeOffset at) => Move(EndpointState.Failed, DeploymentFailure.ApplyFailed, message, at, EndpointChange.State);

    /// <summary>Starts the delete; the endpoint must not send it live traffic (<see cref="OnlineEndpoint.CanRemoveDeployment"/>).</summary>
    public void BeginDelete(DateTimeOffset at) => Move(EndpointState.Deleting, null, null, at, EndpointChange.State);

    private bool SameSpec(OnlineDeploymentSpec spec) =>
        spec with { EnvironmentVariables = Spec.EnvironmentVariables, Tags = Spec.Tags } == Spec
        && SameMap(spec.EnvironmentVariables, Spec.EnvironmentVariables) && SameMap(spec.Tags, Spec.Tags);

    private static bool SameMap(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var v) && v == p.Value);

    private void Move(EndpointState to, string? reason, string? message, DateTimeOffset at, EndpointChange change)
    {
        if (State == to && Reason == reason)
        {
            if (change != EndpointChange.State)
            {
                Raise(change, State, at);
            }

            return;
        }

        EndpointLifecycle.EnsureCanMove(State, to);
        var previous = State;
        State = to;
        Reason = reason;
        Message = message;
        if (to != EndpointState.Creating && to != EndpointState.Updating)
        {
            Deadline = null;
        }

        _transitions.Add(new EndpointTransition(to, at, reason));
        Raise(change | EndpointChange.State, previous, at);
    }

    private void Raise(EndpointChange change, EndpointState? previous, DateTimeOffset at)
    {
        UpdatedAt = at;
        var pending = _raised is not null && DomainEvents.Contains(_raised) ? _raised : null;
        var next = new OnlineDeploymentChanged(Id, EndpointId, WorkspaceId, EndpointName, Name, State, pending is null ? previous : pending.PreviousState, Reason, ReadyReplicas, DesiredReplicas, (pending?.Change ?? EndpointChange.None) | change, at);
        if (pending is null)
        {
            AddDomainEvent(next);
        }
        else
        {
            ReplaceDomainEvent(pending, next);
        }

        _raised = next;
    }
}
