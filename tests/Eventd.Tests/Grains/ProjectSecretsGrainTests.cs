using Eventd.Grains.Interfaces;

namespace Eventd.Tests.Grains;

/// <summary>
/// A project's own signing secret in its grain: rotation, the previous secret's overlap (the fixture's default,
/// a day, passed on the grain's fake clock instead of waited for), and the project that never rotated.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ProjectSecretsGrainTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Overlap = TimeSpan.FromDays(1);

    private IProjectSecretsGrain NewProject() => fixture.Cluster.Client.GetGrain<IProjectSecretsGrain>($"p-{Guid.NewGuid():N}");

    [Fact]
    public async Task A_project_that_never_rotated_has_no_secret_and_signs_with_the_configured_ones()
    {
        var project = NewProject();

        Assert.Null(await project.Current());
        Assert.Equal(ProjectSigning.Configured, await project.Signing());
    }

    [Fact]
    public async Task The_first_rotation_keeps_the_configured_secrets_signing_for_the_overlap_then_drops_them()
    {
        var project = NewProject();
        var now = ClusterFixture.ProjectSecretsClock.GetUtcNow();

        var rotated = await project.Rotate();

        Assert.StartsWith("whsec_", rotated.Secret, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(rotated.Secret["whsec_".Length..]).Length);
        Assert.Equal(now, rotated.CreatedAt);
        Assert.Equal(now + Overlap, rotated.PreviousExpiresAt);
        Assert.Equal(rotated, await project.Current());
        var during = await project.Signing();
        Assert.Equal([rotated.Secret], during.Secrets);
        Assert.True(during.WithConfigured);
        Assert.Equal(now + Overlap, during.Until);

        ClusterFixture.ProjectSecretsClock.Advance(Overlap);

        var after = await project.Signing();
        Assert.Equal([rotated.Secret], after.Secrets);
        Assert.False(after.WithConfigured);
        Assert.Null(after.Until);
    }

    [Fact]
    public async Task A_second_rotation_keeps_the_first_secret_signing_beside_the_new_one_and_drops_the_configured_ones()
    {
        var project = NewProject();
        var first = await project.Rotate();

        var second = await project.Rotate();

        Assert.NotEqual(first.Secret, second.Secret);
        var signing = await project.Signing();
        Assert.Equal([second.Secret, first.Secret], signing.Secrets);
        Assert.False(signing.WithConfigured);
    }
}
