const question = (
  skill: string,
  difficulty: 'easy' | 'medium' | 'hard',
  text: string,
  expectedAnswerPoints: string[],
) => ({ question: text, skill, difficulty, expectedAnswerPoints });

/**
 * A realistic `test` answer for the sample resume × `JOB_DESCRIPTION`: 8 questions (the
 * default count) of mixed difficulty over the skills the job needs.
 */
export const TEST_ANSWER = JSON.stringify({
  skills: [
    'Lossless compression',
    'MPEG video formats',
    'C++',
    'JavaScript',
    'Technical leadership',
  ],
  questions: [
    question(
      'Lossless compression',
      'easy',
      'What is the difference between lossless and lossy compression, and when would you pick each for media assets?',
      [
        'Lossless reconstructs the input exactly; lossy discards information',
        'Lossless for masters, archives and text; lossy for delivery where size matters',
        'Mentions a trade-off between ratio, quality and speed',
      ],
    ),
    question(
      'Lossless compression',
      'medium',
      'Walk through how Huffman coding and arithmetic coding assign codes, and why arithmetic coding can get closer to the entropy limit.',
      [
        'Huffman assigns whole-bit prefix codes from symbol frequencies',
        'Arithmetic coding encodes a message as one interval, so fractional bits per symbol',
        'Relates both to Shannon entropy',
      ],
    ),
    question(
      'Lossless compression',
      'hard',
      'Your resume mentions the Weisman Score record. How would you benchmark a new compressor fairly against existing ones on our video corpus?',
      [
        'Representative corpus and held-out data',
        'Measures ratio, compression and decompression speed, and memory',
        'Repeated runs, variance and fixed hardware',
        'Compares against strong baselines such as zstd or xz at several levels',
      ],
    ),
    question(
      'MPEG video formats',
      'medium',
      'What is a group of pictures in MPEG video, and how do I, P and B frames trade size against seeking and latency?',
      [
        'I-frames are self-contained; P and B frames predict from others',
        'B-frames save the most bits but add decoding delay',
        'Longer GOPs compress better but make seeking and error recovery worse',
      ],
    ),
    question(
      'MPEG video formats',
      'easy',
      'How does an MP4 container relate to the codec of the video inside it?',
      [
        'MP4 is a container format (ISO BMFF) holding streams and metadata',
        'The codec (H.264, HEVC, AV1…) encodes the video itself',
        'One container can carry different codecs',
      ],
    ),
    question(
      'C++',
      'medium',
      'How would you avoid copying large frame buffers through a C++ transcoding pipeline?',
      [
        'Move semantics and ownership with unique_ptr',
        'Passing views or spans instead of copies',
        'Buffer pools to avoid repeated allocation',
      ],
    ),
    question(
      'JavaScript',
      'easy',
      'In Node.js, how would you stream a large video file to a client without loading it into memory?',
      [
        'Use readable streams and pipe (or pipeline) to the response',
        'Handles backpressure',
        'Supports range requests for seeking',
      ],
    ),
    question(
      'Technical leadership',
      'hard',
      'As CEO of Pied Piper you made calls under pressure. How would you run a design review where two senior engineers disagree on a codec choice?',
      [
        'Makes the decision criteria explicit before debating options',
        'Asks for data: benchmarks on the real workload',
        'Time-boxes the decision and records it with its reasons',
        'Keeps the disagreement about the design, not the people',
      ],
    ),
  ],
});
