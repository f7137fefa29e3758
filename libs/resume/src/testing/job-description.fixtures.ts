/**
 * A realistic job description that the sample resume (Richard Hendriks, compression
 * startup CEO) partly fits: strong on compression, no C++, too few years.
 */
export const JOB_DESCRIPTION = `Senior Software Engineer, Compression & Media Infrastructure
Northwind Media, San Francisco, CA (hybrid)

About the role
We store and stream petabytes of video every day. You will own the compression and
transcoding services behind our media pipeline and help us get more quality out of every bit.

What you will do
- Design and optimize lossless and lossy compression algorithms for video and image assets
- Build and maintain transcoding services for MPEG-4 / MP4 and next-generation codecs
- Write performant code in C++ and JavaScript (Node.js) for the encoding pipeline and web tooling
- Lead a small team of engineers and review their designs
- Work with product and research to turn prototypes into production systems

Requirements
- 5+ years of professional software engineering experience
- Deep knowledge of compression algorithms, including lossless compression
- Strong C++ skills
- JavaScript, HTML and CSS for our internal web tools
- Experience with MPEG video formats
- Bachelor's degree in Computer Science, Information Technology or a related field

Nice to have
- Published work on video compression
- Experience with Kubernetes and cloud deployment
- Rust
- Startup or team leadership experience`;
