/**
 * Everything the course relies on, as plain data: the references page lists it and the chapters cite it with
 * <Cite id="..." />. Each link opens the source itself (a DOI, arXiv or the publisher's page); nothing is fetched
 * from another origin. A unit test checks that every id is cited by some chapter and every cited id exists.
 */

export interface Reference {
  /** Anchor on the references page and the `id` of <Cite>. */
  id: string;
  /** Short form for in-text citations: "LeCun et al.". */
  short: string;
  /** Year of publication; null for documentation that changes with each release. */
  year: number | null;
  /** Full author list as printed. */
  authors: string;
  title: string;
  /** Journal, proceedings, book or publisher, with volume and pages. */
  venue: string;
  url: string;
  /** What the course takes from it, and where. */
  used: string;
  group: 'papers' | 'books' | 'documentation';
}

export const REFERENCES: readonly Reference[] = [
  {
    id: 'lecun1998',
    short: 'LeCun et al.',
    year: 1998,
    authors: 'Yann LeCun, Léon Bottou, Yoshua Bengio, Patrick Haffner',
    title: 'Gradient-based learning applied to document recognition',
    venue: 'Proceedings of the IEEE 86(11), 2278–2324',
    url: 'https://doi.org/10.1109/5.726791',
    used: 'LeNet-5: its layers, the C3 table, the scaled tanh (Appendix A), the RBF output, the training and its results; MNIST’s normalisation.',
    group: 'papers',
  },
  {
    id: 'lecun1998efficient',
    short: 'LeCun et al.',
    year: 1998,
    authors: 'Yann LeCun, Léon Bottou, Genevieve B. Orr, Klaus-Robert Müller',
    title: 'Efficient BackProp',
    venue: 'In G. B. Orr and K.-R. Müller (eds.), Neural Networks: Tricks of the Trade, LNCS 1524, Springer, 9–50',
    url: 'https://doi.org/10.1007/3-540-49430-8_2',
    used: 'Why inputs are centred and scaled, and the choice of the scaled tanh 1.7159 tanh(2a/3).',
    group: 'papers',
  },
  {
    id: 'lecun1989',
    short: 'LeCun et al.',
    year: 1989,
    authors:
      'Yann LeCun, Bernhard Boser, John S. Denker, Donnie Henderson, Richard E. Howard, Wayne Hubbard, Lawrence D. Jackel',
    title: 'Backpropagation applied to handwritten zip code recognition',
    venue: 'Neural Computation 1(4), 541–551',
    url: 'https://doi.org/10.1162/neco.1989.1.4.541',
    used: 'The first convolutional network trained end to end with backpropagation, the ancestor of LeNet-5.',
    group: 'papers',
  },
  {
    id: 'fukushima1980',
    short: 'Fukushima',
    year: 1980,
    authors: 'Kunihiko Fukushima',
    title:
      'Neocognitron: a self-organizing neural network model for a mechanism of pattern recognition unaffected by shift in position',
    venue: 'Biological Cybernetics 36(4), 193–202',
    url: 'https://doi.org/10.1007/BF00344251',
    used: 'Stacked local feature detectors and subsampling, before gradient training.',
    group: 'papers',
  },
  {
    id: 'dumoulin2016',
    short: 'Dumoulin and Visin',
    year: 2016,
    authors: 'Vincent Dumoulin, Francesco Visin',
    title: 'A guide to convolution arithmetic for deep learning',
    venue: 'arXiv:1603.07285',
    url: 'https://arxiv.org/abs/1603.07285',
    used: 'Output sizes with padding, stride and dilation, and transposed convolution.',
    group: 'papers',
  },
  {
    id: 'glorot2010',
    short: 'Glorot and Bengio',
    year: 2010,
    authors: 'Xavier Glorot, Yoshua Bengio',
    title: 'Understanding the difficulty of training deep feedforward neural networks',
    venue: 'Proceedings of AISTATS 2010, PMLR 9, 249–256',
    url: 'https://proceedings.mlr.press/v9/glorot10a.html',
    used: 'Saturating sigmoid units and vanishing gradients; the Glorot initialisation the lab uses.',
    group: 'papers',
  },
  {
    id: 'he2015',
    short: 'He et al.',
    year: 2015,
    authors: 'Kaiming He, Xiangyu Zhang, Shaoqing Ren, Jian Sun',
    title: 'Delving deep into rectifiers: surpassing human-level performance on ImageNet classification',
    venue: 'Proceedings of ICCV 2015, 1026–1034',
    url: 'https://arxiv.org/abs/1502.01852',
    used: 'Initialisation for ReLU networks, used by the tiny network of chapter 10.',
    group: 'papers',
  },
  {
    id: 'scherer2010',
    short: 'Scherer et al.',
    year: 2010,
    authors: 'Dominik Scherer, Andreas Müller, Sven Behnke',
    title: 'Evaluation of pooling operations in convolutional architectures for object recognition',
    venue: 'Artificial Neural Networks – ICANN 2010, LNCS 6354, Springer, 92–101',
    url: 'https://doi.org/10.1007/978-3-642-15825-4_10',
    used: 'Max pooling against subsampling.',
    group: 'papers',
  },
  {
    id: 'krizhevsky2012',
    short: 'Krizhevsky et al.',
    year: 2012,
    authors: 'Alex Krizhevsky, Ilya Sutskever, Geoffrey E. Hinton',
    title: 'ImageNet classification with deep convolutional neural networks',
    venue:
      'Advances in Neural Information Processing Systems 25 (NIPS 2012); reprinted in Communications of the ACM 60(6), 84–90, 2017',
    url: 'https://doi.org/10.1145/3065386',
    used: 'AlexNet’s overlapping max pooling.',
    group: 'papers',
  },
  {
    id: 'simonyan2014',
    short: 'Simonyan and Zisserman',
    year: 2014,
    authors: 'Karen Simonyan, Andrew Zisserman',
    title: 'Very deep convolutional networks for large-scale image recognition',
    venue: 'arXiv:1409.1556 (ICLR 2015)',
    url: 'https://arxiv.org/abs/1409.1556',
    used: 'Stacks of 3×3 kernels instead of one large kernel.',
    group: 'papers',
  },
  {
    id: 'springenberg2015',
    short: 'Springenberg et al.',
    year: 2015,
    authors: 'Jost Tobias Springenberg, Alexey Dosovitskiy, Thomas Brox, Martin Riedmiller',
    title: 'Striving for simplicity: the all convolutional net',
    venue: 'ICLR 2015 workshop track, arXiv:1412.6806',
    url: 'https://arxiv.org/abs/1412.6806',
    used: 'Strided convolutions in place of pooling.',
    group: 'papers',
  },
  {
    id: 'lin2014',
    short: 'Lin et al.',
    year: 2014,
    authors: 'Min Lin, Qiang Chen, Shuicheng Yan',
    title: 'Network in network',
    venue: 'ICLR 2014, arXiv:1312.4400',
    url: 'https://arxiv.org/abs/1312.4400',
    used: 'Global average pooling.',
    group: 'papers',
  },
  {
    id: 'zhang2019',
    short: 'Zhang',
    year: 2019,
    authors: 'Richard Zhang',
    title: 'Making convolutional networks shift-invariant again',
    venue: 'Proceedings of ICML 2019, PMLR 97, 7324–7334',
    url: 'https://arxiv.org/abs/1904.11486',
    used: 'Why pooling does not make a network shift-invariant.',
    group: 'papers',
  },
  {
    id: 'bridle1990',
    short: 'Bridle',
    year: 1990,
    authors: 'John S. Bridle',
    title:
      'Probabilistic interpretation of feedforward classification network outputs, with relationships to statistical pattern recognition',
    venue: 'In F. Fogelman Soulié and J. Hérault (eds.), Neurocomputing, NATO ASI Series F68, Springer, 227–236',
    url: 'https://doi.org/10.1007/978-3-642-76153-9_28',
    used: 'The softmax and its name.',
    group: 'papers',
  },
  {
    id: 'hinton2015',
    short: 'Hinton et al.',
    year: 2015,
    authors: 'Geoffrey Hinton, Oriol Vinyals, Jeff Dean',
    title: 'Distilling the knowledge in a neural network',
    venue: 'arXiv:1503.02531',
    url: 'https://arxiv.org/abs/1503.02531',
    used: 'Softmax temperature in knowledge distillation.',
    group: 'papers',
  },
  {
    id: 'golik2013',
    short: 'Golik et al.',
    year: 2013,
    authors: 'Pavel Golik, Patrick Doetsch, Hermann Ney',
    title: 'Cross-entropy vs. squared error training: a theoretical and experimental comparison',
    venue: 'Proceedings of Interspeech 2013, 1756–1760',
    url: 'https://doi.org/10.21437/Interspeech.2013-436',
    used: 'Squared-error training getting stuck where cross-entropy does not.',
    group: 'papers',
  },
  {
    id: 'bouvrie2006',
    short: 'Bouvrie',
    year: 2006,
    authors: 'Jake Bouvrie',
    title: 'Notes on convolutional neural networks',
    venue: 'Technical note, MIT Center for Biological and Computational Learning',
    url: 'https://cogprints.org/5869/',
    used: 'Older notes that train with the squared error.',
    group: 'papers',
  },
  {
    id: 'kingma2015',
    short: 'Kingma and Ba',
    year: 2015,
    authors: 'Diederik P. Kingma, Jimmy Ba',
    title: 'Adam: a method for stochastic optimization',
    venue: 'ICLR 2015, arXiv:1412.6980',
    url: 'https://arxiv.org/abs/1412.6980',
    used: 'The optimizer the lab trains with by default.',
    group: 'papers',
  },
  {
    id: 'd2l',
    short: 'Zhang et al.',
    year: 2023,
    authors: 'Aston Zhang, Zachary C. Lipton, Mu Li, Alexander J. Smola',
    title: 'Dive into Deep Learning, chapter 7: Convolutional Neural Networks',
    venue: 'Cambridge University Press; free online edition',
    url: 'https://d2l.ai/chapter_convolutional-neural-networks/index.html',
    used: 'Cross-correlation, padding and stride, channels and pooling, with worked examples the engine is tested against.',
    group: 'books',
  },
  {
    id: 'cs231n',
    short: 'CS231n',
    year: null,
    authors: 'Fei-Fei Li, Andrej Karpathy, Justin Johnson and the course staff',
    title: 'CS231n course notes: Convolutional Neural Networks for Visual Recognition',
    venue: 'Stanford University',
    url: 'https://cs231n.github.io/',
    used: 'The multi-channel convolution and pooling examples and parameter counts; gradient checks.',
    group: 'books',
  },
  {
    id: 'mnist',
    short: 'LeCun, Cortes and Burges',
    year: 1998,
    authors: 'Yann LeCun, Corinna Cortes, Christopher J. C. Burges',
    title: 'The MNIST database of handwritten digits',
    venue: 'Web site',
    url: 'http://yann.lecun.com/exdb/mnist/',
    used: 'The digits every chapter shows and the lab trains on.',
    group: 'documentation',
  },
  {
    id: 'pytorch-pool',
    short: 'PyTorch',
    year: null,
    authors: 'PyTorch contributors',
    title: 'torch.nn.MaxPool2d',
    venue: 'PyTorch documentation',
    url: 'https://pytorch.org/docs/stable/generated/torch.nn.MaxPool2d.html',
    used: 'Pooling’s padding limit, its −∞ padding and ceil mode.',
    group: 'documentation',
  },
  {
    id: 'tf-padding',
    short: 'TensorFlow',
    year: null,
    authors: 'TensorFlow authors',
    title: 'tf.nn: notes on padding',
    venue: 'TensorFlow API documentation',
    url: 'https://www.tensorflow.org/api_docs/python/tf/nn#notes_on_padding_2',
    used: 'TensorFlow’s “same” padding and where its odd zero goes.',
    group: 'documentation',
  },
  {
    id: 'numpy-convolve',
    short: 'NumPy',
    year: null,
    authors: 'NumPy developers',
    title: 'numpy.convolve',
    venue: 'NumPy documentation',
    url: 'https://numpy.org/doc/stable/reference/generated/numpy.convolve.html',
    used: 'Full, same and valid modes, and the argument swap when the kernel is longer.',
    group: 'documentation',
  },
  {
    id: 'bt601',
    short: 'ITU-R',
    year: 2011,
    authors: 'International Telecommunication Union',
    title: 'Recommendation ITU-R BT.601: studio encoding parameters of digital television',
    venue: 'ITU-R',
    url: 'https://www.itu.int/rec/R-REC-BT.601',
    used: 'The luma weights of the colour-to-gray formula.',
    group: 'documentation',
  },
];

/** The reference with this id; throws (a build error) for an unknown id, so a typo cannot ship. */
export function reference(id: string): Reference {
  const r = REFERENCES.find((x) => x.id === id);
  if (!r) throw new Error(`Unknown reference "${id}": add it to src/site/references.ts.`);
  return r;
}

/** The year as cited: "1998", "1998a" when one author-year pair is shared, or "" for undated documentation. */
export function citeYear(r: Reference): string {
  if (r.year === null) return '';
  const twins = REFERENCES.filter((x) => x.short === r.short && x.year === r.year);
  return twins.length > 1 ? `${r.year}${String.fromCharCode(97 + twins.indexOf(r))}` : String(r.year);
}

/** The in-text form: "LeCun et al., 1998a", or the short name alone for undated documentation ("CS231n"). */
export function citeLabel(r: Reference): string {
  const year = citeYear(r);
  return year ? `${r.short}, ${year}` : r.short;
}
