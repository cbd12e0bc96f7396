using Eventd.Grains.Buckets;

namespace Eventd.Tests.Unit;

public sealed class ArmedBucketsTests
{
    private static readonly BucketId Bucket = new(3, 29_400_000);

    [Fact]
    public async Task A_bucket_is_armed_once_then_remembered()
    {
        var calls = 0;
        var armed = new ArmedBuckets(_ => { calls++; return Task.CompletedTask; }, TimeProvider.System);

        await armed.EnsureArmedAsync(Bucket);
        await armed.EnsureArmedAsync(Bucket);
        await armed.EnsureArmedAsync(new BucketId(4, Bucket.Minute));

        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task A_failed_arm_is_not_remembered_and_the_next_placement_tries_again()
    {
        var calls = 0;
        var armed = new ArmedBuckets(
            _ => ++calls == 1 ? Task.FromException(new TimeoutException("silo unreachable")) : Task.CompletedTask,
            TimeProvider.System);

        await Assert.ThrowsAsync<TimeoutException>(() => armed.EnsureArmedAsync(Bucket));
        await armed.EnsureArmedAsync(Bucket);
        await armed.EnsureArmedAsync(Bucket);

        Assert.Equal(2, calls);
    }
}
