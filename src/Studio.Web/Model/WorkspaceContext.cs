using Studio.Domain.Workspaces;
using Studio.Infrastructure.Workspaces;

namespace Studio.Web.Model;

/// <summary>
/// The workspace a page is in, resolved once by the workspace layout from the address and cascaded to the page:
/// the workspace as the person sees it, their role in it, who they are, and a token that ends with the circuit.
/// A page inside the layout only ever gets a workspace the person may see.
/// </summary>
public sealed record WorkspaceContext(WorkspaceSummary Summary, Actor Actor, CancellationToken CancellationToken)
{
    public string Name => Summary.Name;

    /// <summary>The person's role in this workspace (from membership or a studio-wide role).</summary>
    public WorkspaceRole Role => Summary.YourRole;

    /// <summary>Submits and cancels jobs, registers environments: data scientists and administrators.</summary>
    public bool CanSubmit => Role >= WorkspaceRole.DataScientist;

    public string JobsHref => WorkspaceRoutes.Jobs(Name);

    public string JobHref(string job) => WorkspaceRoutes.Job(Name, job);

    public string SubmitJobHref => WorkspaceRoutes.SubmitJob(Name);

    public string ComputeHref => WorkspaceRoutes.Compute(Name);

    public string ComputeTargetHref(string compute) => WorkspaceRoutes.ComputeTarget(Name, compute);

    public string EnvironmentsHref => WorkspaceRoutes.Environments(Name);

    public string EndpointsHref => WorkspaceRoutes.Endpoints(Name);
}
