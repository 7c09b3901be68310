namespace Studio.Web.Components.Dialogs;

/// <summary>What the instance type dialog does: create a new one, edit one (name fixed), or duplicate one under a new name.</summary>
public enum InstanceTypeDialogMode
{
    Create,
    Edit,
    Duplicate,
}
