namespace Eventd.Grains.Interfaces;

public static class ProjectNames
{
    /// <summary>
    /// Stands for every project where an index is kept per project: project names are letters, digits,
    /// '_' and '-', so no project is called this.
    /// </summary>
    public const string Every = "*";
}
